"""A private S3-compatible object store on loopback, for tests and benchmarks: moto's server mode.

moto_server (``moto[server]``, from PyPI like the rest of the portal) speaks the S3 HTTP API, so
django-storages and boto3 talk to it exactly as to MinIO, Ceph or a cloud's object storage. It
keeps the objects in its memory and starts in about a second. ``object_store`` starts one on a
free port, creates the bucket and yields the connection settings (``itaportal.settings``'s
``object_storage`` and the ``S3_*`` environment variables, as ``environment`` gives them).
"""

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.nginx_front import free_port
from bench.run import wait_for_port

BUCKET = "itaportal"
REGION = "us-east-1"
# moto accepts any key: these only have to be the same on every side.
ACCESS_KEY, SECRET_KEY = "loopback", "loopback-secret"


def connection(endpoint: str) -> dict:
    """itaportal.settings.object_storage's connection settings for the store at ``endpoint``."""
    return {
        "bucket_name": BUCKET,
        "endpoint_url": endpoint,
        "access_key": ACCESS_KEY,
        "secret_key": SECRET_KEY,
        "region_name": REGION,
        "addressing_style": "path",
    }


def environment(endpoint: str, prefix: str = "") -> dict[str, str]:
    """The same, as the portal's environment variables, for servers and workers."""
    return {
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": endpoint,
        "S3_ACCESS_KEY_ID": ACCESS_KEY,
        "S3_SECRET_ACCESS_KEY": SECRET_KEY,
        "S3_REGION": REGION,
        "S3_PREFIX": prefix,
    }


@contextmanager
def object_store(log: Path) -> Iterator[str]:
    """Serve an S3-compatible store on a free loopback port, with the bucket created; yields its
    endpoint URL. The server's output goes to ``log``."""
    import boto3

    port = free_port()
    moto_server = Path(sys.executable).parent / "moto_server"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(moto_server), "-H", "127.0.0.1", "-p", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(port, process, timeout=30)
            endpoint = f"http://127.0.0.1:{port}"
            settings = connection(endpoint)
            boto3.client(
                "s3",
                endpoint_url=endpoint,
                aws_access_key_id=ACCESS_KEY,
                aws_secret_access_key=SECRET_KEY,
                region_name=REGION,
            ).create_bucket(Bucket=settings["bucket_name"])
            yield endpoint
        finally:
            process.terminate()
            process.wait(timeout=10)
