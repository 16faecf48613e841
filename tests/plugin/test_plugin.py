"""The pytest plugin, exercised in pytester sessions (entry point pytest11)."""

from __future__ import annotations

from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "test_app_assume_role.py"


def test_plugin_is_registered_through_the_entry_point(pytester: pytest.Pytester) -> None:
    """The installed entry point loads the plugin without any conftest."""
    result = pytester.runpytest("--trace-config", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*iamsim*pytest_plugin*"])


def test_each_test_gets_a_fresh_simulator(pytester: pytest.Pytester) -> None:
    """No state leaks from one test's simulator to the next."""
    pytester.makepyfile(
        test_fresh="""
        import pytest

        @pytest.mark.parametrize("n", [1, 2])
        def test_world_starts_empty(iamsim_simulator, n):
            assert iamsim_simulator.list_users() == ()
            iamsim_simulator.create_user("alice")
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_marker_sets_account_and_start_time(pytester: pytest.Pytester) -> None:
    """The marker's account_id and start_time configure the simulator (a ManualClock)."""
    pytester.makepyfile(
        test_marker="""
        import datetime
        import pytest
        from iamsim import ManualClock

        @pytest.mark.iamsim(account_id="111122223333", start_time="2030-05-01T12:00:00Z")
        def test_options(iamsim_simulator, iamsim_boto3):
            assert isinstance(iamsim_simulator.clock, ManualClock)
            assert iamsim_simulator.clock.now() == datetime.datetime(2030, 5, 1, 12, tzinfo=datetime.timezone.utc)
            identity = iamsim_boto3.client("sts").get_caller_identity()
            assert identity["Arn"] == "arn:aws:iam::111122223333:root"
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_fixture_session_is_signed_and_dummy_keys_are_refused_by_default_G9(pytester: pytest.Pytester) -> None:
    """§G.9: without options the fixture's session signs with issued root keys and works at once;
    a client signing with keys the simulator never issued gets InvalidClientTokenId and acts as nobody."""
    pytester.makepyfile(
        test_default="""
        import boto3
        import pytest
        from botocore.exceptions import ClientError

        def test_default(iamsim_simulator, iamsim_boto3):
            assert iamsim_boto3.client("sts").get_caller_identity()["Arn"].endswith(":root")
            dummy = boto3.client("iam", region_name="us-east-1", aws_access_key_id="testing",
                                 aws_secret_access_key="testing")
            with pytest.raises(ClientError) as caught:
                dummy.create_user(UserName="mallory")
            assert caught.value.response["Error"]["Code"] == "InvalidClientTokenId"
            assert "sim.root_credentials()" in caught.value.response["Error"]["Message"]
            assert iamsim_simulator.list_users() == ()
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_opt_in_marker_lets_only_never_issued_keys_act_as_root_G9(pytester: pytest.Pytester) -> None:
    """§G.9 opt-in: unknown_keys_act_as_root=True makes dummy keys root; a temporary key without its token
    is still InvalidClientTokenId."""
    pytester.makepyfile(
        test_opt_in="""
        import boto3
        import pytest
        from botocore.exceptions import ClientError

        @pytest.mark.iamsim(unknown_keys_act_as_root=True)
        def test_opt_in(iamsim_boto3):
            dummy = boto3.client("sts", region_name="us-east-1", aws_access_key_id="testing",
                                 aws_secret_access_key="testing")
            assert dummy.get_caller_identity()["Arn"] == "arn:aws:iam::123456789012:root"
            temporary = boto3.client("sts", region_name="us-east-1", aws_access_key_id="ASIAEXAMPLEEXAMPLE12",
                                     aws_secret_access_key="x")
            with pytest.raises(ClientError) as caught:
                temporary.get_caller_identity()
            assert caught.value.response["Error"]["Code"] == "InvalidClientTokenId"
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_old_strict_marker_option_is_a_usage_error(pytester: pytest.Pytester) -> None:
    """strict is the only behaviour now: the removed option says what replaced it."""
    pytester.makepyfile(
        test_old="""
        import pytest

        @pytest.mark.iamsim(strict=True)
        def test_old(iamsim_simulator):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*strict option is gone*unknown_keys_act_as_root*"])
    assert result.ret != 0


def test_the_root_fallback_needs_a_real_true_G9(pytester: pytest.Pytester) -> None:
    """§G.9, safe by default: unknown_keys_act_as_root="false" (truthy text) is a usage error, never the fallback."""
    pytester.makepyfile(
        test_text="""
        import pytest

        @pytest.mark.iamsim(unknown_keys_act_as_root="false")
        def test_text(iamsim_simulator):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*unknown_keys_act_as_root must be True or False*"])
    assert result.ret != 0


def test_patch_ends_with_the_test(pytester: pytest.Pytester) -> None:
    """After a test using iamsim_boto3, botocore's client creation is botocore's own again."""
    pytester.makepyfile(
        test_cleanup="""
        import botocore.session

        ORIGINAL = botocore.session.Session.create_client

        def test_uses_fixture(iamsim_boto3):
            assert botocore.session.Session.create_client is not ORIGINAL

        def test_after(request):
            assert botocore.session.Session.create_client is ORIGINAL
        """
    )
    pytester.runpytest("-p", "no:cacheprovider", "-p", "no:randomly").assert_outcomes(passed=2)


def test_marker_rejects_unknown_options(pytester: pytest.Pytester) -> None:
    """A typo in the marker is an error, not silently ignored."""
    pytester.makepyfile(
        test_typo="""
        import pytest

        @pytest.mark.iamsim(stritc=True)
        def test_typo(iamsim_simulator):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*unknown iamsim marker options*stritc*"])


def test_assert_allowed_failure_explains_the_condition(pytester: pytest.Pytester) -> None:
    """A failing assert_allowed names the statement and the condition's values (§C.1)."""
    pytester.makepyfile(
        test_explain="""
        import json
        from iamsim.testing import assert_allowed

        def test_tagged(iamsim_simulator):
            iamsim_simulator.create_user("alice", tags={"team": "red"})
            iamsim_simulator.put_user_policy("alice", "team-blue", json.dumps({
                "Version": "2012-10-17",
                "Statement": [{"Sid": "BlueOnly", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                               "Condition": {"StringEquals": {"aws:PrincipalTag/team": "blue"}}}]}))
            key = iamsim_simulator.create_access_key("alice")
            assert_allowed(iamsim_simulator, key, "s3:GetObject", "arn:aws:s3:::b/k")
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*expected s3:GetObject on arn:aws:s3:::b/k to be allowed*",
            "*decision: implicitDeny*",
            "*statements whose conditions did not hold:*",
            '*Allow statement 0 (Sid "BlueOnly") of identity-based policy "team-blue"*',
        ]
    )
    assert "StringEquals aws:PrincipalTag/team: policy wants 'blue', request has 'red' -> FAILED" in (
        result.stdout.str()
    )


def test_the_documented_example_passes(pytester: pytest.Pytester) -> None:
    """docs/testing.md's complete example runs green."""
    result = pytester.runpytest(str(EXAMPLE), "-p", "no:cacheprovider")
    result.assert_outcomes(passed=5)
