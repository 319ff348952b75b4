"""Runs ministack (PyPI, pinned in tools/python-requirements.txt) for our stack, without Docker.

    .cache/venv/bin/python localstack/ministack-server.py                 # http://127.0.0.1:4566
    GATEWAY_PORT=4567 .cache/venv/bin/python localstack/ministack-server.py

The test setup (packages/local/src/testing/ministack.ts) starts it like this on a free port. What it
sets, and the two things it adds to ministack 1.5.33 (the API key in the proxy event, a function's
DeadLetterConfig from CloudFormation), are explained in localstack/ministack.md.
"""

import contextvars
import os

# Loopback only, nothing written outside TMPDIR, no listener we do not use, no Docker: ministack reads
# these when it is imported, so they are set before. A caller's own value wins.
for name, value in {
    "BIND_HOST": "127.0.0.1",  # ministack binds 0.0.0.0 by default
    "GATEWAY_PORT": "4566",
    "LAMBDA_EXECUTOR": "local",  # Node functions as host processes, with the `node` on PATH
    "PERSIST_STATE": "0",
    "S3_PERSIST": "0",
    "IOT_MTLS_ENABLED": "0",  # an MQTT listener on 8883, on by default
    "SFTP_ENABLED": "0",
    "DOCKER_HOST": "unix:///nonexistent/docker.sock",  # never look for a Docker engine
}.items():
    os.environ.setdefault(name, value)

from ministack import app  # noqa: E402  (after the environment above)
from ministack.services import apigateway_v1, lambda_svc  # noqa: E402
from ministack.services.cloudformation import provisioners  # noqa: E402

# API Gateway puts the caller's API key into a proxy event's requestContext.identity (apiKey, apiKeyId)
# when the method requires one; our handlers know the user by apiKeyId. ministack 1.5.33 checks the key
# but leaves both out of the event, so every authenticated route would answer 401. This carries the key
# it already resolved into the event it builds, as AWS does. Remove when ministack does it itself.
_resolved_key = contextvars.ContextVar("tasktracker_resolved_api_key", default=None)
_check_api_key = apigateway_v1._check_api_key
_build_lambda_event_v1 = apigateway_v1._build_lambda_event_v1


def _check_api_key_remembered(*args, **kwargs):
    error, key = _check_api_key(*args, **kwargs)
    _resolved_key.set(key)
    return error, key


def _build_lambda_event_with_api_key(*args, **kwargs):
    event = _build_lambda_event_v1(*args, **kwargs)
    key = _resolved_key.get()
    if key is not None:
        event["requestContext"]["identity"].update({"apiKey": key.get("value"), "apiKeyId": key.get("id")})
    return event


apigateway_v1._check_api_key = _check_api_key_remembered
apigateway_v1._build_lambda_event_v1 = _build_lambda_event_with_api_key

# AWS::Lambda::Function's DeadLetterConfig: ministack 1.5.33's CloudFormation drops it (its Lambda API
# keeps it), so a failed S3 import would never reach the stack's dead-letter queue. This copies it onto
# the function it just created or updated. Remove when ministack's provisioner does it itself.
_function_handlers = provisioners._RESOURCE_HANDLERS["AWS::Lambda::Function"]
_create_function = _function_handlers["create"]
_update_function = _function_handlers["update"]


def _keep_dead_letter_config(name, props):
    function = lambda_svc._functions.get(name)
    if function is None:
        return
    target = (props.get("DeadLetterConfig") or {}).get("TargetArn")
    if target:
        function["config"]["DeadLetterConfig"] = {"TargetArn": target}
    else:
        function["config"].pop("DeadLetterConfig", None)


def _create_function_with_dead_letters(logical_id, props, stack_name):
    name, attributes = _create_function(logical_id, props, stack_name)
    _keep_dead_letter_config(name, props)
    return name, attributes


def _update_function_with_dead_letters(physical_id, old_props, new_props, stack_name, logical_id=None):
    name, attributes = _update_function(physical_id, old_props, new_props, stack_name, logical_id)
    _keep_dead_letter_config(name, new_props)
    return name, attributes


_function_handlers["create"] = _create_function_with_dead_letters
_function_handlers["update"] = _update_function_with_dead_letters

if __name__ == "__main__":
    app.main()
