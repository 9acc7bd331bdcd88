/**
 * TensorFlow's string and integer hashes, in exact 64-bit unsigned arithmetic (BigInt), as the Hashing,
 * HashedCrossing and IntegerLookup layers use them:
 *
 * - `fingerprint64`: TensorFlow's Fingerprint64 (FarmHash's farmhashna::Hash64) of a byte string, the hash of
 *   `tf.strings.to_hash_bucket_fast`;
 * - `sipHash24`: SipHash-2-4 with a 128-bit key, TensorFlow's StrongKeyedHash behind
 *   `tf.strings.to_hash_bucket_strong`;
 * - `fingerprintCat64`: TensorFlow's FingerprintCat64, which `tf.sparse.cross_hashed` chains over the crossed
 *   integer features starting from the key 0xDECAFCAFFE.
 */

const MASK = (1n << 64n) - 1n
const u64 = (x: bigint): bigint => x & MASK
const mul = (a: bigint, b: bigint): bigint => (a * b) & MASK
const rotr = (v: bigint, s: bigint): bigint => (s === 0n ? v : u64((v >> s) | (v << (64n - s))))
const rotl = (v: bigint, s: bigint): bigint => u64((v << s) | (v >> (64n - s)))
const shiftMix = (v: bigint): bigint => v ^ (v >> 47n)

const K0 = 0xc3a5c85c97cb3127n
const K1 = 0xb492b66fbe98f273n
const K2 = 0x9ae16a3b2f90404fn

/** Little-endian unsigned load of `n` bytes at `at`. */
function load(s: Uint8Array, at: number, n: number): bigint {
  let v = 0n
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(s[at + i] ?? 0)
  return v
}

function hashLen16(u: bigint, v: bigint, m: bigint): bigint {
  let a = mul(u ^ v, m)
  a ^= a >> 47n
  let b = mul(v ^ a, m)
  b ^= b >> 47n
  return mul(b, m)
}

function hashLen0to16(s: Uint8Array): bigint {
  const len = s.length
  const n = BigInt(len)
  if (len >= 8) {
    const m = u64(K2 + n * 2n)
    const a = u64(load(s, 0, 8) + K2)
    const b = load(s, len - 8, 8)
    const c = u64(mul(rotr(b, 37n), m) + a)
    const d = mul(u64(rotr(a, 25n) + b), m)
    return hashLen16(c, d, m)
  }
  if (len >= 4) {
    const m = u64(K2 + n * 2n)
    return hashLen16(u64(n + (load(s, 0, 4) << 3n)), load(s, len - 4, 4), m)
  }
  if (len > 0) {
    const y = BigInt(s[0] ?? 0) + (BigInt(s[len >> 1] ?? 0) << 8n)
    const z = n + (BigInt(s[len - 1] ?? 0) << 2n)
    return mul(shiftMix(mul(y, K2) ^ mul(z, K0)), K2)
  }
  return K2
}

function hashLen17to32(s: Uint8Array): bigint {
  const len = s.length
  const m = u64(K2 + BigInt(len) * 2n)
  const a = mul(load(s, 0, 8), K1)
  const b = load(s, 8, 8)
  const c = mul(load(s, len - 8, 8), m)
  const d = mul(load(s, len - 16, 8), K2)
  return hashLen16(u64(u64(rotr(u64(a + b), 43n) + rotr(c, 30n)) + d), u64(u64(a + rotr(u64(b + K2), 18n)) + c), m)
}

/** TensorFlow's Fingerprint64 (farmhashna::Hash64) of a string of at most 32 bytes (a decimal integer's length). */
export function fingerprint64(text: string): bigint {
  const s = new TextEncoder().encode(text)
  if (s.length > 32) throw new RangeError(`fingerprint64 is implemented for strings of at most 32 bytes, not ${s.length}`)
  return s.length <= 16 ? hashLen0to16(s) : hashLen17to32(s)
}

/** SipHash-2-4 of a string with the key (k0, k1), as TensorFlow's StrongKeyedHash computes it. */
export function sipHash24(key: readonly [bigint, bigint], text: string): bigint {
  const s = new TextEncoder().encode(text)
  const v = [key[0] ^ 0x736f6d6570736575n, key[1] ^ 0x646f72616e646f6dn, key[0] ^ 0x6c7967656e657261n, key[1] ^ 0x7465646279746573n]
  const round = (): void => {
    v[0] = u64((v[0] ?? 0n) + (v[1] ?? 0n)); v[1] = rotl(v[1] ?? 0n, 13n); v[1] ^= v[0]; v[0] = rotl(v[0], 32n)
    v[2] = u64((v[2] ?? 0n) + (v[3] ?? 0n)); v[3] = rotl(v[3] ?? 0n, 16n); v[3] ^= v[2]
    v[0] = u64(v[0] + v[3]); v[3] = rotl(v[3], 21n); v[3] ^= v[0]
    v[2] = u64(v[2] + v[1]); v[1] = rotl(v[1], 17n); v[1] ^= v[2]; v[2] = rotl(v[2], 32n)
  }
  const compress = (m: bigint): void => {
    v[3] = (v[3] ?? 0n) ^ m
    round(); round()
    v[0] = (v[0] ?? 0n) ^ m
  }
  const whole = s.length - (s.length % 8)
  for (let i = 0; i < whole; i += 8) compress(load(s, i, 8))
  compress(load(s, whole, s.length - whole) | (BigInt(s.length & 0xff) << 56n))
  v[2] = (v[2] ?? 0n) ^ 0xffn
  round(); round(); round(); round()
  return u64((v[0] ?? 0n) ^ (v[1] ?? 0n) ^ (v[2] ?? 0n) ^ (v[3] ?? 0n))
}

/** TensorFlow's FingerprintCat64 of two 64-bit fingerprints (not commutative). */
export function fingerprintCat64(fp1: bigint, fp2: bigint): bigint {
  const kMul = 0xc6a4a7935bd1e995n
  let result = fp1 ^ kMul
  result ^= mul(shiftMix(mul(fp2, kMul)), kMul)
  result = mul(result, kMul)
  result = mul(shiftMix(result), kMul)
  return shiftMix(result)
}

/** An int64 value as TensorFlow reinterprets it for hashing: its two's-complement uint64. */
export const asUint64 = (value: bigint): bigint => u64(value)
