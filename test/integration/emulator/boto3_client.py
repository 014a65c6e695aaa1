"""An independent client for the Bedrock emulator: boto3 with its own parameter validation off.

Usage: python3 boto3_client.py <endpoint> <input-s3-uri> <output-s3-uri>
Prints one JSON object: for each case, the error code and message the emulator returned (or the jobArn).
Exits 3 when boto3 cannot be imported.
"""
import json
import sys

try:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError
except ImportError as error:  # pragma: no cover - the test reports this
    print(f"boto3 is not importable: {error}", file=sys.stderr)
    sys.exit(3)

endpoint, input_uri, output_uri = sys.argv[1:4]
client = boto3.client(
    "bedrock",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id="dummy",
    aws_secret_access_key="dummy",
    config=Config(parameter_validation=False, retries={"max_attempts": 1, "mode": "standard"}),
)

valid = {
    "jobName": "boto3-job",
    "roleArn": "arn:aws:iam::123456789012:role/BedrockBatchRole",
    "modelId": "anthropic.claude-3-haiku-20240307-v1:0",
    "inputDataConfig": {"s3InputDataConfig": {"s3Uri": input_uri}},
    "outputDataConfig": {"s3OutputDataConfig": {"s3Uri": output_uri}},
}

cases = {
    "valid": {},
    "unknownModel": {"modelId": "foo.bar-v9:0"},
    "timeoutTooShort": {"timeoutDurationInHours": 23},
    "timeoutTooLong": {"timeoutDurationInHours": 169},
    "jobNameTooLong": {"jobName": "a" * 64},
    "jobNamePattern": {"jobName": "job_1"},
    "tooManySubnets": {"vpcConfig": {"subnetIds": [f"subnet-{i}" for i in range(17)], "securityGroupIds": ["sg-1"]}},
    "badInvocationType": {"modelInvocationType": "Stream"},
}

results = {}
for name, change in cases.items():
    try:
        response = client.create_model_invocation_job(**{**valid, **change})
        results[name] = {"jobArn": response["jobArn"]}
    except ClientError as error:
        results[name] = {
            "code": error.response["Error"]["Code"],
            "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
            "message": error.response["Error"]["Message"],
        }
print(json.dumps(results))
