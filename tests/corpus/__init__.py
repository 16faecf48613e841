"""The evaluation corpus: spec-cited YAML cases run on every evaluator."""
