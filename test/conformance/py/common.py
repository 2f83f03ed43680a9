"""Shared by the boto3 conformance scripts: clients pointed at the local cloud, and a recorder
that keeps each call's parsed response or the error code botocore extracted from it."""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = sys.argv[1]
RESULTS = {}


def client(service, region='us-east-1'):
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=ENDPOINT,
        aws_access_key_id='test',
        aws_secret_access_key='test',
        config=Config(retries={'max_attempts': 1, 'mode': 'standard'}, s3={'addressing_style': 'path'}),
    )


def call(name, fn, /, **kwargs):
    """Run one operation; record {'ok': response} or {'error': {code, message, status}}."""
    try:
        out = fn(**kwargs)
        out.pop('ResponseMetadata', None)
        RESULTS[name] = {'ok': out}
        return out
    except ClientError as e:
        err = e.response.get('Error', {})
        RESULTS[name] = {'error': {
            'code': err.get('Code'),
            'message': err.get('Message'),
            'status': e.response.get('ResponseMetadata', {}).get('HTTPStatusCode'),
        }}
        return None
    except Exception as e:  # a response botocore could not parse: the finding itself
        RESULTS[name] = {'crash': f'{type(e).__name__}: {e}'}
        return None


def done():
    def default(value):
        if hasattr(value, 'read'):
            return value.read().decode('utf-8', 'replace')
        if isinstance(value, bytes):
            return value.decode('utf-8', 'replace')
        if hasattr(value, 'isoformat'):
            return value.isoformat()
        return str(value)
    json.dump(RESULTS, sys.stdout, default=default)
