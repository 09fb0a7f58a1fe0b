"""Loads FEA Studio's engine exports the way the engines do (training-engines.md §2) and checks every field.

Run by tests/integration/engine-loaders.test.ts, which exports a small workspace and passes:
  FEA_EXPORT_LLAMA_FACTORY, FEA_EXPORT_TRL, FEA_EXPORT_VERL, FEA_EXPORT_EASYR1: the export folders;
  FEA_EXPECTED: JSON {"split": name, "parts": {part: records}, "emotions": [...]}.
"""
import hashlib
import json
import os
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from datasets import load_dataset
from PIL import Image

FORMAT_RE = re.compile(r"^<think>.*?</think>\s*<answer>.*?</answer>$", re.DOTALL)


def export_dir(name):
    value = os.environ.get(name)
    if not value:
        pytest.skip(f"{name} is not set (run through tests/integration/engine-loaders.test.ts)")
    return Path(value)


@pytest.fixture(scope="session")
def expected():
    raw = os.environ.get("FEA_EXPECTED")
    if not raw:
        pytest.skip("FEA_EXPECTED is not set")
    return json.loads(raw)


def part_file(folder, expected, part, suffix):
    return folder / f"{expected['split']}_{part}{suffix}"


def assert_image(folder, rel):
    assert isinstance(rel, str) and rel and not os.path.isabs(rel), rel
    p = folder / rel
    assert p.is_file(), f"{rel} does not resolve from {folder}"
    with Image.open(p) as im:
        im.verify()


def check_manifest(folder):
    manifest = json.loads((folder / "manifest.json").read_text())
    listed = {f["path"]: f for f in manifest["files"]}
    on_disk = {
        str(p.relative_to(folder)).replace(os.sep, "/")
        for p in folder.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    }
    assert set(listed) == on_disk
    for rel, f in listed.items():
        data = (folder / rel).read_bytes()
        assert len(data) == f["bytes"], rel
        assert hashlib.sha256(data).hexdigest() == f["sha256"], rel
    assert not any(p.endswith(".partial") for p in on_disk)


def answer_of(text):
    m = re.search(r"<answer>(.*?)</answer>", text, re.DOTALL)
    return m.group(1).strip() if m else None


# LLaMA-Factory: sharegpt with OpenAI-style tags, registered in dataset_info.json; media_dir = dataset_dir.
def test_llama_factory(expected):
    folder = export_dir("FEA_EXPORT_LLAMA_FACTORY")
    check_manifest(folder)
    info = json.loads((folder / "dataset_info.json").read_text())
    assert set(info) == {f"{expected['split']}_{p}" for p in expected["parts"]}
    for part, n in expected["parts"].items():
        entry = info[f"{expected['split']}_{part}"]
        assert entry["formatting"] == "sharegpt"
        assert entry["columns"] == {"messages": "messages", "images": "images"}
        assert entry["tags"] == {"role_tag": "role", "content_tag": "content", "user_tag": "user", "assistant_tag": "assistant", "system_tag": "system"}
        ds = load_dataset("json", data_files=str(folder / entry["file_name"]), split="train")
        assert ds.num_rows == n
        assert set(ds.column_names) == {"messages", "images"}
        for row in ds:
            roles = [m["role"] for m in row["messages"]]
            assert roles == ["user", "assistant"]
            tokens = sum(m["content"].count("<image>") for m in row["messages"])
            assert tokens == len(row["images"]) == 1
            assert FORMAT_RE.match(row["messages"][1]["content"])
            assert answer_of(row["messages"][1]["content"]) in expected["emotions"]
            for img in row["images"]:
                assert_image(folder, img)


# TRL: conversational SFT (messages + images), prompt-only GRPO (prompt + image + answer columns).
def test_trl(expected):
    folder = export_dir("FEA_EXPORT_TRL")
    check_manifest(folder)
    for part, n in expected["parts"].items():
        sft = load_dataset("json", data_files=str(part_file(folder, expected, part, "_sft.jsonl")), split="train")
        assert sft.num_rows == n
        assert set(sft.column_names) == {"messages", "images"}
        for row in sft:
            user, assistant = row["messages"]
            assert user["role"] == "user" and assistant["role"] == "assistant"
            types = [c["type"] for c in user["content"]]
            assert types == ["image", "text"]
            assert types.count("image") == len(row["images"])
            assert FORMAT_RE.match(assistant["content"][0]["text"])
            for img in row["images"]:
                assert_image(folder, img)
        grpo = load_dataset("json", data_files=str(part_file(folder, expected, part, "_grpo.jsonl")), split="train")
        assert grpo.num_rows == n
        assert set(grpo.column_names) == {"prompt", "image", "solution", "AUs"}
        for row in grpo:
            assert [m["role"] for m in row["prompt"]] == ["user"]
            assert [c["type"] for c in row["prompt"][0]["content"]] == ["image", "text"]
            assert row["solution"] in expected["emotions"]
            assert all(re.fullmatch(r"AU\d+", a) for a in row["AUs"])
            assert_image(folder, row["image"])


# verl: parquet with the nested prompt list, images list, reward_model struct and extra_info.
def test_verl(expected):
    folder = export_dir("FEA_EXPORT_VERL")
    check_manifest(folder)
    for part, n in expected["parts"].items():
        file = part_file(folder, expected, part, ".parquet")
        table = pq.read_table(file)
        s = table.schema
        assert pa.types.is_string(s.field("data_source").type)
        assert pa.types.is_string(s.field("ability").type)
        prompt = s.field("prompt").type
        assert pa.types.is_list(prompt) and pa.types.is_struct(prompt.value_type)
        assert {prompt.value_type.field(i).name for i in range(prompt.value_type.num_fields)} == {"role", "content"}
        images = s.field("images").type
        assert pa.types.is_list(images) and pa.types.is_struct(images.value_type)
        assert images.value_type.field(0).name == "image"
        reward = s.field("reward_model").type
        assert pa.types.is_struct(reward) and reward.get_field_index("ground_truth") >= 0 and reward.get_field_index("style") >= 0
        assert pa.types.is_struct(s.field("extra_info").type)
        assert pq.ParquetFile(file).metadata.num_row_groups >= 1
        ds = load_dataset("parquet", data_files=str(file), split="train")
        assert ds.num_rows == table.num_rows == n
        for row in ds:
            tokens = sum(m["content"].count("<image>") for m in row["prompt"])
            assert tokens == len(row["images"]) == 1
            assert row["reward_model"]["style"] == "rule"
            assert row["reward_model"]["ground_truth"] in expected["emotions"]
            assert row["ability"] == "emotion"
            assert row["extra_info"]["split"] == part
            assert json.loads(row["extra_info"]["answer"])["label"] == row["reward_model"]["ground_truth"]
            for img in row["images"]:
                assert_image(folder, img["image"])
        assert sorted(r["index"] for r in ds["extra_info"]) == list(range(n))


# EasyR1: problem (with <image>), answer (emotion and AUs as JSON, the only thing the reward sees), images.
def test_easyr1(expected):
    folder = export_dir("FEA_EXPORT_EASYR1")
    check_manifest(folder)
    for part, n in expected["parts"].items():
        ds = load_dataset("json", data_files=str(part_file(folder, expected, part, ".jsonl")), split="train")
        assert ds.num_rows == n
        assert set(ds.column_names) == {"problem", "answer", "images"}
        for row in ds:
            assert row["problem"].count("<image>") == len(row["images"]) == 1
            answer = json.loads(row["answer"])
            assert answer["label"] in expected["emotions"]
            assert all(re.fullmatch(r"AU\d+", a) for a in answer["aus"])
            for img in row["images"]:
                assert_image(folder, img)
