# A mixed CPython workload for the real-world corpus (cpython-mixed): the
# interpreter loop, objects, strings, big integers, and standard modules in
# C (json, re, hashlib) and in Python (fractions, decimal, heapq). Output is
# deterministic: nothing depends on hash order, time or the environment.
import collections
import decimal
import fractions
import hashlib
import heapq
import json
import random
import re


class Account:
    __slots__ = ("name", "balance", "history")

    def __init__(self, name):
        self.name = name
        self.balance = 0
        self.history = []

    def apply(self, amount):
        self.balance += amount
        self.history.append(amount)
        return self.balance


def ledger(rng, rounds):
    accounts = {f"acct{i:03d}": Account(f"acct{i:03d}") for i in range(200)}
    names = sorted(accounts)
    for _ in range(rounds):
        accounts[rng.choice(names)].apply(rng.randint(-500, 1000))
    top = sorted(accounts.values(), key=lambda a: (-a.balance, a.name))[:5]
    return [(a.name, a.balance, len(a.history)) for a in top]


def words(rng, count):
    syllables = ["ka", "lo", "mi", "ren", "tu", "sha", "vo", "ix", "el", "dra"]
    return ["".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))) for _ in range(count)]


def text_stats(rng):
    text = " ".join(words(rng, 60000))
    counts = collections.Counter(text.split())
    pattern = re.compile(r"\b(\w*sha\w*)\s+(\w+ren)\b")
    pairs = pattern.findall(text)
    upper = text.title().replace("Ka", "KA")
    digest = hashlib.sha256(upper.encode()).hexdigest()
    return counts.most_common(3), len(pairs), pairs[:2], digest[:16]


def big_numbers():
    a, b = 0, 1
    for _ in range(5000):
        a, b = b, a + b
    fact = 1
    for i in range(2, 1200):
        fact *= i
    return len(str(a)), sum(int(d) for d in str(fact)), pow(3, 10**5, 10**40 + 7)


def exact_arithmetic():
    harmonic = sum(fractions.Fraction(1, n) for n in range(1, 400))
    decimal.getcontext().prec = 60
    root2 = decimal.Decimal(2).sqrt()
    e = sum(decimal.Decimal(1) / decimal.Decimal(_factorial(n)) for n in range(40))
    return str(harmonic)[:24], str(root2)[:40], str(e)[:40]


def _factorial(n):
    result = 1
    for i in range(2, n + 1):
        result *= i
    return result


def documents(rng):
    docs = [
        {"id": i, "tags": sorted({rng.choice("abcdefgh") for _ in range(4)}),
         "score": round(rng.random() * 100, 3), "nested": {"depth": [i % 7, [i % 3, {"k": str(i)}]]}}
        for i in range(8000)
    ]
    encoded = json.dumps(docs, sort_keys=True)
    decoded = json.loads(encoded)
    best = heapq.nlargest(3, decoded, key=lambda d: (d["score"], d["id"]))
    by_tag = collections.defaultdict(int)
    for d in decoded:
        for t in d["tags"]:
            by_tag[t] += 1
    return len(encoded), [d["id"] for d in best], sorted(by_tag.items())


def sieve(limit):
    flags = bytearray([1]) * (limit + 1)
    flags[0:2] = b"\x00\x00"
    for i in range(2, int(limit ** 0.5) + 1):
        if flags[i]:
            flags[i * i::i] = bytes(len(range(i * i, limit + 1, i)))
    primes = [i for i, f in enumerate(flags) if f]
    return len(primes), primes[-3:]


def generators():
    def collatz(n):
        while n != 1:
            yield n
            n = n // 2 if n % 2 == 0 else 3 * n + 1
        yield 1

    longest = max(range(1, 60000), key=lambda n: sum(1 for _ in collatz(n)))
    return longest, sum(1 for _ in collatz(longest))


def main():
    rng = random.Random(2026)
    print("ledger", ledger(rng, 200000))
    print("text", text_stats(rng))
    print("bigint", big_numbers())
    print("exact", exact_arithmetic())
    print("json", documents(rng))
    print("sieve", sieve(2_000_000))
    print("collatz", generators())


main()
