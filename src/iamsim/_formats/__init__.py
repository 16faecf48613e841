"""The file formats people write by hand, as pydantic models: world files and policy test suites.

A file is read into plain data (bounded, by :mod:`iamsim._sources.documents`),
checked once against its model (:mod:`.world`, :mod:`.suite`), and the checked
model is handed to the code that builds the world or the suite; pydantic never
runs on the evaluation path. A failed check becomes one
:class:`~iamsim.errors.InvalidInputError` naming the file, the place as a key
path (``accounts.111122223333.roles[2] (App).trust``) and, for YAML, the line
(:mod:`.locate`).

The models are also the source of the published JSON Schemas
(``docs/schemas/``, written by ``scripts/gen_schemas.py``) that editors use to
complete and check the files. The submodules are imported where they are
used, so importing :mod:`.locate` does not load pydantic.
"""
