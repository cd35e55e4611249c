import os, sys, time
import pyroscope

pyroscope.configure(
    application_name=os.environ.get("APP", "compat-python"),
    server_address=os.environ["SERVER"],
    sample_rate=100,
    tags={"env": "compat"},
)

def hearth_hot_python(n):
    s = 0
    for i in range(n):
        s += i * i % 7
    return s

deadline = time.time() + float(os.environ.get("SECONDS_TO_RUN", "12"))
while time.time() < deadline:
    hearth_hot_python(200000)
pyroscope.shutdown()
