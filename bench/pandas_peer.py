"""The source article's approach, as the speed peer: pandas read_csv of the whole file, to a list of
dicts, one json.dumps per record into a JSONL file. Usage: python3 pandas_peer.py <csv> <out.jsonl>"""
import json
import resource
import sys
import time

import pandas as pd

started = time.perf_counter()
frame = pd.read_csv(sys.argv[1])
records = frame.to_dict("records")
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for i, row in enumerate(records):
        prompt = f"Client: {row['Context']}\nTherapist: {row['Response']}"
        body = {
            "anthropic_version": "bedrock-2023-05-31",
            "max_tokens": 1000,
            "messages": [{"role": "user", "content": [{"type": "text", "text": prompt}]}],
        }
        out.write(json.dumps({"recordId": f"r{i + 1:09d}", "modelInput": body}) + "\n")
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "maxRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
