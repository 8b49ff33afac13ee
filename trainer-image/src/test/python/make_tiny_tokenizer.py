"""Writes the tiny tokenizer.json that HuggingFaceTokenizerTest loads.

T5-like layout so the test exercises the same id lookups as a real T5 tokenizer: <pad>=0,
</s>=1, <unk>=2, a word-level vocabulary, and sentinels <extra_id_0..9> at the top of the
vocabulary with <extra_id_0> the highest id. Word-level keeps the file a few KB.

    pip install tokenizers==0.22.1
    python make_tiny_tokenizer.py ../resources/data/tiny-tokenizer.json
"""
import sys

from tokenizers import Tokenizer, models, pre_tokenizers, trainers, decoders

CORPUS = [
    "the quick brown fox jumps over the lazy dog",
    "a span corruption objective replaces spans with sentinels",
    "deep narrow models scale efficiently",
    "hello world",
]
SENTINELS = 10


def main(out):
    tok = Tokenizer(models.WordLevel(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tok.decoder = decoders.WordPiece(prefix="##")  # joins words with spaces
    trainer = trainers.WordLevelTrainer(special_tokens=["<pad>", "</s>", "<unk>"])
    tok.train_from_iterator(CORPUS, trainer)
    # added in reverse so that <extra_id_0> gets the highest id, as in T5
    tok.add_special_tokens([f"<extra_id_{i}>" for i in reversed(range(SENTINELS))])
    tok.save(out)


if __name__ == "__main__":
    main(sys.argv[1])
