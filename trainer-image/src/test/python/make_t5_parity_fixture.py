#!/usr/bin/env python3
"""Builds the T5 1.0 parity fixture that HuggingFaceT5ParityTest checks the DJL model against.

Run once by hand (never at test time) after changing the fixture's shape or inputs:

    python -m venv /tmp/t5venv && /tmp/t5venv/bin/pip install torch transformers safetensors
    /tmp/t5venv/bin/python trainer-image/src/test/python/make_t5_parity_fixture.py

It writes into trainer-image/src/test/resources/parity/:
  config.json          the Hugging Face config of the tiny random model
  model.safetensors    its weights, saved by save_pretrained exactly as real checkpoints are
  batch.safetensors    inputs with padding, the expected logits and loss, Hugging Face's greedy
                       generation (start token first), and its relative position bucket tables
                       for relative positions -300..300
  versions.txt         which torch / transformers produced the expected values

The shape is deliberately uneven (d_kv * heads != d_model, 2 encoder and 3 decoder layers) and the
sequences are longer than the 8/16 exact relative-position buckets, so transposed projections,
swapped stacks or wrong log buckets cannot pass by accident. Keep everything well under 1 MB.
"""
import json
import os
import pathlib
import tempfile

import safetensors.torch
import torch
import transformers
from transformers import T5Config, T5ForConditionalGeneration
from transformers.models.t5.modeling_t5 import T5Attention

SEED = 1234
OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "parity"

PAD = 0
EOS = 1
GREEDY_STEPS = 12


def build_model():
    config = T5Config(
        vocab_size=384,
        d_model=32,
        d_kv=16,
        d_ff=48,
        num_heads=4,
        num_layers=2,
        num_decoder_layers=3,
        relative_attention_num_buckets=32,
        relative_attention_max_distance=128,
        dropout_rate=0.0,
        layer_norm_epsilon=1e-6,
        feed_forward_proj="relu",
        tie_word_embeddings=True,
        pad_token_id=PAD,
        eos_token_id=EOS,
        decoder_start_token_id=PAD,
    )
    torch.manual_seed(SEED)
    model = T5ForConditionalGeneration(config)
    # Hugging Face initialises every norm scale to exactly 1, which would let a model that
    # forgets to apply the scale pass; spread them out. At this size its initialisation also
    # leaves the output almost blind to positions and earlier tokens (greedy decoding repeats
    # one token), so sharpen attention and widen the residual updates until it is not.
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.endswith("layer_norm.weight"):
                parameter.uniform_(0.5, 1.5)
            elif name.endswith("relative_attention_bias.weight"):
                parameter.mul_(8.0)
            elif name.endswith(("q.weight", "k.weight")):
                parameter.mul_(3.0)
            elif name.endswith(("v.weight", "o.weight", "wi.weight", "wo.weight")):
                parameter.mul_(2.0)
    model.eval()
    return model


def build_batch(generator):
    """Three rows of different lengths, padded with 0, each ending with EOS as T5 data does."""
    input_lengths = [40, 29, 11]
    target_lengths = [20, 13, 6]
    s, t = max(input_lengths), max(target_lengths)
    input_ids = torch.zeros(len(input_lengths), s, dtype=torch.long)
    labels = torch.zeros(len(target_lengths), t, dtype=torch.long)
    for row, (n, m) in enumerate(zip(input_lengths, target_lengths)):
        input_ids[row, : n - 1] = torch.randint(3, 384, (n - 1,), generator=generator)
        input_ids[row, n - 1] = EOS
        labels[row, : m - 1] = torch.randint(3, 384, (m - 1,), generator=generator)
        labels[row, m - 1] = EOS
    attention_mask = (input_ids != PAD).long()
    decoder_input_ids = torch.cat([torch.full((len(target_lengths), 1), PAD), labels[:, :-1]], dim=1)
    # The start token is the pad id, so the decoder mask comes from the target lengths.
    decoder_attention_mask = torch.zeros_like(labels)
    for row, m in enumerate(target_lengths):
        decoder_attention_mask[row, :m] = 1
    return input_ids, attention_mask, decoder_input_ids, decoder_attention_mask, labels


def greedy_decode(model, input_ids, attention_mask):
    """Greedy decoding by full recomputation at every step: the reference for the cached path.

    (generate() of transformers 5.x builds its cache for num_layers, not num_decoder_layers, and
    fails on this uneven model; recomputing is the plainer reference anyway.) A row that has
    produced EOS continues with PAD; decoding stops when every row is done or after
    GREEDY_STEPS tokens.
    """
    rows = input_ids.shape[0]
    decoded = torch.full((rows, 1), PAD, dtype=torch.long)
    done = torch.zeros(rows, dtype=torch.bool)
    with torch.no_grad():
        for _ in range(GREEDY_STEPS):
            logits = model(
                input_ids=input_ids, attention_mask=attention_mask, decoder_input_ids=decoded, use_cache=False
            ).logits
            token = logits[:, -1, :].argmax(dim=-1)
            token = torch.where(done, torch.full_like(token, PAD), token)
            decoded = torch.cat([decoded, token[:, None]], dim=1)
            done |= token == EOS
            if bool(done.all()):
                break
    return decoded


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    model = build_model()
    generator = torch.Generator().manual_seed(SEED)
    input_ids, attention_mask, decoder_input_ids, decoder_attention_mask, labels = build_batch(generator)

    hf_labels = labels.masked_fill(labels == PAD, -100)
    with torch.no_grad():
        out = model(
            input_ids=input_ids,
            attention_mask=attention_mask,
            decoder_input_ids=decoder_input_ids,
            decoder_attention_mask=decoder_attention_mask,
            labels=hf_labels,
        )

    greedy = greedy_decode(model, input_ids, attention_mask)

    with tempfile.TemporaryDirectory() as tmp:
        model.save_pretrained(tmp, safe_serialization=True)
        (OUT / "model.safetensors").write_bytes(pathlib.Path(tmp, "model.safetensors").read_bytes())
        config = json.loads(pathlib.Path(tmp, "config.json").read_text())
    (OUT / "config.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")

    relative = torch.arange(-300, 301)
    tensors = {
        "input_ids": input_ids,
        "attention_mask": attention_mask,
        "decoder_input_ids": decoder_input_ids,
        "decoder_attention_mask": decoder_attention_mask,
        "labels": labels,
        "logits": out.logits.float().contiguous(),
        "loss": out.loss.reshape(1).float(),
        "target_tokens": (labels != PAD).sum().reshape(1),
        "greedy": greedy,
        "relative_positions": relative,
        "buckets_bidirectional": T5Attention._relative_position_bucket(relative, bidirectional=True),
        "buckets_causal": T5Attention._relative_position_bucket(relative, bidirectional=False),
    }
    safetensors.torch.save_file(tensors, str(OUT / "batch.safetensors"))
    (OUT / "versions.txt").write_text(
        f"torch {torch.__version__}\ntransformers {transformers.__version__}\n"
        f"safetensors {safetensors.__version__}\nseed {SEED}\n"
    )
    print("loss", out.loss.item(), "logits", tuple(out.logits.shape))
    for f in sorted(OUT.iterdir()):
        print(f.name, os.path.getsize(f))


if __name__ == "__main__":
    main()
