#!/usr/bin/env python3
"""Training throughput of Hugging Face T5 1.0, the reference for `scalesweep bench`.

Builds T5ForConditionalGeneration with the shape `scalesweep bench --shape CODE` builds (ReLU
feed-forward, tied embeddings, no dropout, 32 relative-position buckets), then times full
training steps on one fixed batch of random tokens without padding: forward with labels, backward,
an Adafactor (or AdamW) update; the global gradient norm on the first and last step only, where
the Java bench reads its loss and norm back (a training run does so on logged steps only). Same options and output fields as the Java bench,
so the two can be compared at the same thread count:

    scalesweep bench --shape SM --batch 8 --input-length 128 --target-length 32 --threads 2
    python3 bench_hf_t5.py --shape SM --batch 8 --input-length 128 --target-length 32 --threads 2

On a GPU, the counterpart of `scalesweep bench --device gpu [--precision mixed-fp16]`:

    python3 bench_hf_t5.py --shape BA --device cuda [--precision mixed-fp16] --batch 64 --input-length 512 --target-length 114

fp32 runs with TF32 matmuls allowed, as the trainer's CUDA image does; mixed-fp16 is PyTorch's
autocast with a GradScaler. Each timed step ends with a device synchronisation, and MFU is printed
against --peak-tflops when given. Needs torch and transformers (pip install torch transformers).
"""
import argparse
import json
import math
import re
import time

# layers, d_model, d_ff, d_kv, heads: the paper's Table 1 (d_kv 64 for tiny, mini, small)
BASES = {
    "TI": (4, 256, 1024, 64, 4),
    "MI": (4, 384, 1536, 64, 8),
    "SM": (6, 512, 2048, 64, 8),
    "BA": (12, 768, 3072, 64, 12),
    "LG": (24, 1024, 4096, 64, 16),
}


def parse_shape(code):
    """The paper's notation (NL2-TI, DM2K-BA ...) as the Java Variant reads it, without SH/SKV."""
    *ops, base = code.strip().split("-")
    if base not in BASES:
        raise SystemExit(f"unknown base '{base}' in '{code}': allowed {', '.join(BASES)}")
    layers, d_model, d_ff, d_kv, heads = BASES[base]
    shape = {"enc": layers, "dec": layers, "d_model": d_model, "d_ff": d_ff, "d_kv": d_kv, "heads": heads}
    for op in ops:
        m = re.fullmatch(r"(NL|EL|DL|DM|FF|KV|NH)(\d+)(K?)", op)
        if not m:
            raise SystemExit(f"operator '{op}' is not supported here (SH and SKV have no Hugging Face form)")
        value = int(m.group(2)) * (1024 if m.group(3) else 1)
        name = m.group(1)
        if name == "NL":
            shape["enc"] = shape["dec"] = value
        else:
            shape[{"EL": "enc", "DL": "dec", "DM": "d_model", "FF": "d_ff", "KV": "d_kv", "NH": "heads"}[name]] = value
    return shape


def forward_flops_per_example(s, vocab, n_in, n_out):
    """FlopCounter.forwardFlopsPerExample of the api module, for plain multi-head attention."""
    d, inner, f = s["d_model"], s["heads"] * s["d_kv"], s["d_ff"]
    query_out, key_value, ffn = 2 * d * inner, 2 * d * inner, 2 * d * f
    enc = 2 * n_in * (query_out + key_value + ffn) + 4 * n_in * n_in * inner
    dec = (2 * n_out * (query_out + key_value + query_out + ffn) + 2 * n_in * key_value
           + 4 * n_out * n_out * inner + 4 * n_out * n_in * inner)
    return s["enc"] * enc + s["dec"] * dec + 2 * n_out * vocab * d


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--shape", default="TI")
    p.add_argument("--vocab", type=int, default=32128)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--input-length", type=int, default=128)
    p.add_argument("--target-length", type=int, default=32)
    p.add_argument("--threads", type=int, default=None)
    p.add_argument("--optimizer", choices=["adafactor", "adamw"], default="adafactor")
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--warmup-seconds", type=float, default=0.0,
                   help="and more untimed steps until this much time has passed (as scalesweep bench)")
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    p.add_argument("--precision", choices=["fp32", "mixed-fp16"], default="fp32")
    p.add_argument("--peak-tflops", type=float, default=None,
                   help="the device's dense peak for the precision, for MFU")
    p.add_argument("-o", "--output", choices=["table", "json"], default="table")
    a = p.parse_args()
    if a.precision == "mixed-fp16" and a.device != "cuda":
        raise SystemExit("--precision mixed-fp16 is measured on --device cuda only")

    import torch
    from transformers import T5Config, T5ForConditionalGeneration
    from transformers.optimization import Adafactor

    if a.threads:
        torch.set_num_threads(a.threads)
        torch.set_num_interop_threads(a.threads)
    if a.device == "cuda":
        if not torch.cuda.is_available():
            raise SystemExit("--device cuda: torch sees no GPU")
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    device = torch.device(a.device)
    torch.manual_seed(0)
    s = parse_shape(a.shape)
    config = T5Config(
        vocab_size=a.vocab, d_model=s["d_model"], d_ff=s["d_ff"], d_kv=s["d_kv"], num_heads=s["heads"],
        num_layers=s["enc"], num_decoder_layers=s["dec"], feed_forward_proj="relu",
        tie_word_embeddings=True, dropout_rate=0.0, relative_attention_num_buckets=32,
        relative_attention_max_distance=128, pad_token_id=0, eos_token_id=1, decoder_start_token_id=0)
    model = T5ForConditionalGeneration(config).to(device).train()
    params = sum(t.numel() for t in model.parameters())
    if a.optimizer == "adamw":
        # the Java AdamW's defaults (torch.optim.AdamW's)
        optimizer = torch.optim.AdamW(model.parameters(), lr=0.01, weight_decay=0.01)
    else:
        optimizer = Adafactor(model.parameters(), lr=0.01, relative_step=False, scale_parameter=True,
                              warmup_init=False)

    generator = torch.Generator().manual_seed(0)
    inputs = torch.randint(2, a.vocab, (a.batch, a.input_length), generator=generator)
    labels = torch.randint(2, a.vocab, (a.batch, a.target_length), generator=generator)
    inputs, labels = inputs.to(device), labels.to(device)
    mask = torch.ones_like(inputs)
    mixed = a.precision == "mixed-fp16"
    scaler = torch.amp.GradScaler("cuda", enabled=mixed)

    def synchronize():
        if a.device == "cuda":
            torch.cuda.synchronize()

    def step(observe):
        synchronize()
        start = time.perf_counter()
        with torch.autocast(device_type=a.device, dtype=torch.float16, enabled=mixed):
            loss = model(input_ids=inputs, attention_mask=mask, labels=labels).loss
        scaler.scale(loss).backward()
        if observe:
            scaler.unscale_(optimizer)
            torch.nn.utils.clip_grad_norm_(model.parameters(), math.inf)  # the norm the DJL loop logs
        scaler.step(optimizer)
        scaler.update()
        optimizer.zero_grad(set_to_none=False)
        synchronize()
        return time.perf_counter() - start, loss.item()

    losses, seconds = [], 0.0
    warmed, warmup_start = 0, time.perf_counter()
    while warmed < a.warmup or time.perf_counter() - warmup_start < a.warmup_seconds:
        losses.append(step(warmed == 0)[1])
        warmed += 1
    for i in range(a.steps):
        took, loss = step((warmed == 0 and i == 0) or i == a.steps - 1)
        losses.append(loss)
        seconds += took
    tokens = a.batch * (a.input_length + a.target_length)
    flops = 3 * forward_flops_per_example(s, a.vocab, a.input_length, a.target_length) * a.batch
    steps_per_second = a.steps / seconds
    result = {
        "shape": a.shape, "vocab": a.vocab, "batch": a.batch, "inputLength": a.input_length,
        "targetLength": a.target_length, "threads": torch.get_num_threads(), "warmup": warmed,
        "steps": a.steps, "params": params, "flopsPerStep": flops,
        "tokensPerSecond": tokens * steps_per_second, "stepsPerSecond": steps_per_second,
        "msPerStep": 1000 / steps_per_second, "gflopsPerSecond": flops * steps_per_second / 1e9,
        "firstLoss": losses[0], "lastLoss": losses[-1], "device": a.device,
        "deviceName": torch.cuda.get_device_name(device) if a.device == "cuda" else "cpu",
        "precision": a.precision, "torch": torch.__version__,
        "mfu": flops * steps_per_second / (a.peak_tflops * 1e12) if a.peak_tflops else None,
    }
    if a.output == "json":
        print(json.dumps(result))
        return
    print(f"hf bench {a.shape} (vocab {a.vocab}): {params:,} params, batch {a.batch}, "
          f"{a.input_length} input / {a.target_length} target tokens, {result['threads']} threads, "
          f"torch {torch.__version__}")
    print(f"  {warmed} warm-up + {a.steps} timed steps, {a.optimizer}, {a.precision} on {result['deviceName']}")
    print(f"  tokens/s   {result['tokensPerSecond']:,.1f}")
    print(f"  steps/s    {steps_per_second:.3f}")
    print(f"  ms/step    {result['msPerStep']:.1f}")
    print(f"  GFLOP/s    {result['gflopsPerSecond']:.1f} ({flops / 1e9:.1f} GFLOP per step)")
    print(f"  MFU        " + (f"{result['mfu']:.1%} of {a.peak_tflops} TFLOP/s" if result["mfu"] is not None
                              else "n/a (give --peak-tflops, the device's dense peak for the precision)"))


if __name__ == "__main__":
    main()
