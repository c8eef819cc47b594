#!/usr/bin/env python3
"""Loads folders that RiskAlign's HuggingFaceCheckpointWriter wrote back from these fixtures with transformers itself and
compares transformers' logits with the fixture's expected.json.

Usage: RISKALIGN_KEEP_RESAVED=DIR dotnet test tests/RiskAlign.Framework.Tests --filter "FullyQualifiedName~Saving_a_transformers"
       PYTHONPATH=/tmp/tfenv/site /usr/bin/python3 check_resaved.py DIR
Exits 1 when a folder does not load or a logit differs by more than 1e-5 (warnings transformers logs are printed too).
"""
import json
import logging
import os
import sys

import torch
from transformers import AutoModelForCausalLM


def main():
    resaved = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    logging.basicConfig(format="  transformers: %(message)s")
    failed = 0
    for name in sorted(os.listdir(resaved)):
        expected = json.load(open(os.path.join(here, name, "expected.json"), encoding="utf-8"))
        try:
            model = AutoModelForCausalLM.from_pretrained(os.path.join(resaved, name), torch_dtype=torch.float32).eval()
        except Exception as e:  # noqa: BLE001 - report and go on with the next folder
            print(f"{name}: transformers refuses the folder: {e}")
            failed += 1
            continue
        with torch.no_grad():
            logits = model(torch.tensor([expected["input_ids"]])).logits[0]
        diff = float((logits - torch.tensor(expected["logits"])).abs().max())
        print(f"{name}: {type(model).__name__}, max |transformers − expected| = {diff:.3g}")
        failed += diff > 1e-5
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
