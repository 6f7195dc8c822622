// The Trace's compact record: how an Event is kept in 44 bytes instead of 64 (B3).
//
// A record is the Event's 16-byte header as it is (tNs, kind, actor, line, sock) and a
// 28-byte payload packed per kind: a call's ret/asked/moved as int32 and its duration
// as 40 bits, a sample's ten queue figures as 0 to 3 bytes each (or none for -1), a
// socket's domain as a byte; the other kinds use no more than 28 bytes of their payload
// and are copied.
//
// Lossless by construction: encode() packs without asking whether values fit, then
// decodes the record and compares it with the Event byte for byte (padding included).
// Only an exact match is kept compact; anything else (an int64 extreme, a 20-minute
// call, a nonzero padding byte from an imported JSONL line, a kind the codec does not
// know) is stored whole in the Trace's overflow store and the record only points there
// (kind byte OverflowKind, payload = the overflow index). So event(i) always returns
// exactly what was appended.
//
// Pure functions on caller-owned bytes: no state, any thread.
#pragma once

#include "trace/event.h"

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace sl::trace::compact {

constexpr std::size_t HeaderBytes = 16;
constexpr std::size_t PayloadBytes = 28;
constexpr std::size_t RecordBytes = HeaderBytes + PayloadBytes; // 44
constexpr std::size_t KindOffset = 8;
constexpr std::uint8_t OverflowKind = 0xff; // never an EventKind (see encode())
// In a record the kind byte is kind | WrittenBit (or OverflowKind): never 0, the value
// of a record not written yet (the Trace's chunks start zeroed; trace.h).
constexpr std::uint8_t WrittenBit = 0x80;
static_assert(std::uint8_t(EventKind::Count_) <= WrittenBit);

static_assert(offsetof(Event, kind) == KindOffset);
static_assert(offsetof(Event, raw) == HeaderBytes);
// Payloads are built and read as little-endian 64-bit words with shifts, in registers:
// storing bytes and reading them back with wider loads (or the reverse) stalls on store
// forwarding, and that was a third of B3's append time.
static_assert(std::endian::native == std::endian::little);
using Words = std::array<std::uint64_t, 6>;  // an Event's 48-byte payload
using Packed = std::array<std::uint64_t, 4>; // a record's 28-byte payload (+4 zero bytes)

namespace detail {

template <typename T>
inline T load(const unsigned char *p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline std::uint64_t u32(std::int64_t v) {
    return std::uint32_t(v);
}
inline std::uint64_t lo32(std::uint64_t w) {
    return w & 0xffffffffu;
}
inline std::uint64_t signExtend32(std::uint64_t w) { // the low 32 bits as an int64
    return std::uint64_t(std::int64_t(std::int32_t(std::uint32_t(w))));
}

// CallBegin/CallEnd: word0 (u32) = call (10 bits) | err (9) | flags (5) | durNs bits 32-39
// (8), then args, preview, ret, asked, moved (int32) and durNs bits 0-31.
inline void encodeCall(const CallData &c, Packed &p) {
    const auto dur = std::uint64_t(c.durNs);
    const std::uint64_t word0 = (c.call & 0x3ffu) | u32(c.err & 0x1ff) << 10 |
                                u32(c.flags & 0x1f) << 19 | ((dur >> 32) & 0xff) << 24;
    p[0] = word0 | std::uint64_t(c.args) << 32;
    p[1] = c.preview | u32(c.ret) << 32;
    p[2] = u32(c.asked) | u32(c.moved) << 32;
    p[3] = lo32(dur);
}
[[gnu::always_inline]] inline void decodeCall(const Packed &p, Words &w) {
    const std::uint64_t word0 = lo32(p[0]);
    w[0] = (word0 & 0x3ff) | ((word0 >> 10) & 0x1ff) << 16 | (p[0] >> 32) << 32; // call, err, args
    w[1] = signExtend32(p[1] >> 32);                                             // ret
    w[2] = signExtend32(p[2]);                                                   // asked
    w[3] = signExtend32(p[2] >> 32);                                             // moved
    w[4] = (word0 >> 24) << 32 | lo32(p[3]);                                     // durNs
    w[5] = lo32(p[1]) | ((word0 >> 19) & 0x1f) << 32; // preview, flags, pad
}
static_assert(offsetof(CallData, err) == 2 && offsetof(CallData, args) == 4 &&
              offsetof(CallData, ret) == 8 && offsetof(CallData, durNs) == 32 &&
              offsetof(CallData, preview) == 40 && offsetof(CallData, flags) == 44);

// Sample: word0 (u32) = state (4 bits) | readiness (5) | listener (1) | nonBlocking (1) |
// a 2-bit code for each of the ten int32 figures after fd (sndbuf … drops): 0 = -1,
// 1-3 = that many little-endian bytes (unsigned) follow; then fd (int16) and 22 bytes
// of figures. A lesson's sample needs about 16 (buffers and windows 3 bytes each,
// queues 0 to 2, counts 1); all ten at 3 bytes do not fit and overflow.
constexpr int SampleFigures = 10;
constexpr unsigned SampleBits0 = 48; // the figures' bytes start at byte 6
constexpr unsigned PayloadBits = 8 * PayloadBytes;
static_assert(offsetof(SampleData, sndbuf) == 8 && offsetof(SampleData, drops) == 44);

inline bool encodeSample(const SampleData &s, Packed &p) {
    std::uint64_t word0 = (s.state & 0xfu) | (s.readiness & 0x1fu) << 4 | (s.listener & 1u) << 9 |
                          (s.nonBlocking & 1u) << 10;
    const auto *figures = reinterpret_cast<const unsigned char *>(&s) + 8;
    unsigned pos = SampleBits0;
    bool fits = true;
#pragma GCC unroll 10
    for (int f = 0; f < SampleFigures; ++f) {
        const auto v = load<std::int32_t>(figures + 4 * f);
        if (v == -1)
            continue;
        fits &= v >= 0 && v < (1 << 24);
        const auto u = std::uint64_t(std::uint32_t(v) & 0xffffff);
        const unsigned len = 1 + (u > 0xff) + (u > 0xffff);
        word0 |= std::uint64_t(len) << (11 + 2 * f);
        const unsigned shift = pos & 63, at = (pos >> 6) & 3;
        p[at] |= u << shift;
        if (shift > 64 - 8 * len && at < 3)
            p[at + 1] |= u >> (64 - shift);
        pos += 8 * len;
    }
    if (!fits || pos > PayloadBits)
        return false;
    p[0] |= word0 | std::uint64_t(std::uint16_t(s.fd)) << 32;
    return true;
}
[[gnu::always_inline]] inline void decodeSample(const Packed &p, Words &w) {
    const std::uint64_t word0 = lo32(p[0]);
    const auto fd = std::uint64_t(std::uint32_t(std::int32_t(std::int16_t(p[0] >> 32))));
    w[0] = (word0 & 0xf) | ((word0 >> 4) & 0x1f) << 8 | ((word0 >> 9) & 1) << 16 |
           ((word0 >> 10) & 1) << 24 | fd << 32; // state, readiness, listener, nb, fd
    unsigned pos = SampleBits0;
#pragma GCC unroll 10
    for (int f = 0; f < SampleFigures; ++f) {
        const unsigned len = (word0 >> (11 + 2 * f)) & 3;
        std::uint64_t v = 0xffffffffu; // -1
        if (len && pos + 8 * len <= PayloadBits) {
            const unsigned shift = pos & 63;
            v = p[pos >> 6] >> shift;
            if (shift + 8 * len > 64)
                v |= p[(pos >> 6) + 1] << (64 - shift);
            v &= (std::uint64_t(1) << (8 * len)) - 1;
            pos += 8 * len;
        }
        w[1 + f / 2] |= v << (32 * (f % 2));
    }
}

// SocketNew/SocketInfo/SocketClose (kernelOnly, peerSock): fd, type, domain (a byte),
// kernelOnly, 2 zero bytes, then name, local, peer, peerSock as they are.
inline void encodeSocket(const SocketData &s, Packed &p) {
    p[0] = u32(s.fd) | u32(s.type) << 32;
    p[1] = std::uint64_t(std::uint8_t(s.domain)) | std::uint64_t(s.kernelOnly) << 8 |
           std::uint64_t(s.name) << 32;
    p[2] = s.local | std::uint64_t(s.peer) << 32;
    p[3] = u32(s.peerSock);
}
[[gnu::always_inline]] inline void decodeSocket(const Packed &p, Words &w) {
    w[0] = lo32(p[0]) | (p[1] & 0xff) << 32;        // fd, domain
    w[1] = (p[0] >> 32) | (p[1] >> 32) << 32;       // type, name
    w[2] = p[2];                                    // local, peer
    w[3] = lo32(p[3]) | ((p[1] >> 8) & 0xff) << 32; // peerSock, kernelOnly
}
static_assert(offsetof(SocketData, domain) == 4 && offsetof(SocketData, name) == 12 &&
              offsetof(SocketData, peerSock) == 24 && offsetof(SocketData, kernelOnly) == 28);

// The other kinds: their first 28 bytes, then zeros.
inline void encodeCopy(const unsigned char *raw, Packed &p) {
    p[0] = load<std::uint64_t>(raw);
    p[1] = load<std::uint64_t>(raw + 8);
    p[2] = load<std::uint64_t>(raw + 16);
    p[3] = load<std::uint32_t>(raw + 24);
}
[[gnu::always_inline]] inline void decodeCopy(const Packed &p, Words &w) {
    w[0] = p[0];
    w[1] = p[1];
    w[2] = p[2];
    w[3] = lo32(p[3]);
}

} // namespace detail

// The Event payload a record's packed payload stands for.
[[gnu::always_inline]] inline Words decodeWords(EventKind kind, const Packed &p) {
    Words w{};
    switch (kind) {
    case EventKind::CallBegin:
    case EventKind::CallEnd:
        detail::decodeCall(p, w);
        break;
    case EventKind::Sample:
        detail::decodeSample(p, w);
        break;
    case EventKind::SocketNew:
    case EventKind::SocketInfo:
    case EventKind::SocketClose:
        detail::decodeSocket(p, w);
        break;
    default: // the other kinds' payloads end before byte 28
        detail::decodeCopy(p, w);
        break;
    }
    return w;
}

namespace detail {
// CallBegin/CallEnd (two of every traced call's events), packed straight from the
// Event's six payload words with the fit test spelt out: the same record encodeCall()
// writes, accepted exactly when decodeCall() would give the payload back (call < 1024,
// 0 <= err < 512, ret/asked/moved int32, 0 <= durNs < 2^40, flags < 32, pad zero).
// tst_trace_compact checks it against the general round trip. Half the instructions.
[[gnu::always_inline]] inline bool encodeCallFast(const Event &e, Packed &p) {
    const auto w0 = load<std::uint64_t>(e.raw); // call, err, args
    const auto ret = load<std::uint64_t>(e.raw + 8);
    const auto asked = load<std::uint64_t>(e.raw + 16);
    const auto moved = load<std::uint64_t>(e.raw + 24);
    const auto dur = load<std::uint64_t>(e.raw + 32);
    const auto w5 = load<std::uint64_t>(e.raw + 40); // preview, flags, pad
    const bool fits = (w0 & 0xfe00fc00u) == 0 && signExtend32(ret) == ret &&
                      signExtend32(asked) == asked && signExtend32(moved) == moved &&
                      (dur >> 40) == 0 && (w5 >> 37) == 0;
    p[0] = (w0 & 0x3ffu) | ((w0 >> 16) & 0x1ffu) << 10 | ((w5 >> 32) & 0x1fu) << 19 |
           ((dur >> 32) & 0xffu) << 24 | (w0 & 0xffffffff00000000u);
    p[1] = lo32(w5) | ret << 32;
    p[2] = lo32(asked) | moved << 32;
    p[3] = lo32(dur);
    return fits;
}
} // namespace detail

// encode() for the kinds other than CallBegin/CallEnd: out of line, so that the call
// kinds' path inlines into the appender (no register saves, the payload in registers).
// (static: GCC refuses noinline on an inline function; two files include this.)
[[gnu::noinline]] static bool encodeOther(const Event &e, Packed &p);

// Packs e's payload. Returns false unless decoding it gives e's payload back byte for
// byte (the header is kept as it is): e must then go to the overflow store.
[[gnu::always_inline]] inline bool encode(const Event &e, Packed &p) {
    if (e.kind == EventKind::CallBegin || e.kind == EventKind::CallEnd) [[likely]]
        return detail::encodeCallFast(e, p);
    return encodeOther(e, p);
}

static bool encodeOther(const Event &e, Packed &p) {
    if (e.kind >= EventKind::Count_) // also keeps OverflowKind free
        return false;
    p = Packed{};
    switch (e.kind) {
    case EventKind::CallBegin:
    case EventKind::CallEnd:
        detail::encodeCall(e.call, p);
        break;
    case EventKind::Sample:
        if (!detail::encodeSample(e.sample, p))
            return false;
        break;
    case EventKind::SocketNew:
    case EventKind::SocketInfo:
    case EventKind::SocketClose:
        detail::encodeSocket(e.socket, p);
        break;
    default:
        detail::encodeCopy(e.raw, p);
        break;
    }
    const Words w = decodeWords(e.kind, p); // the check that makes the record lossless
    using detail::load;                     // six scalar compares, no stores
    return ((w[0] ^ load<std::uint64_t>(e.raw)) | (w[1] ^ load<std::uint64_t>(e.raw + 8)) |
            (w[2] ^ load<std::uint64_t>(e.raw + 16)) | (w[3] ^ load<std::uint64_t>(e.raw + 24)) |
            (w[4] ^ load<std::uint64_t>(e.raw + 32)) | (w[5] ^ load<std::uint64_t>(e.raw + 40))) ==
           0;
}

// A record but its kind byte: e's header as it is, then p (28 bytes), in a few wide
// stores. The caller stores the kind byte last (the Trace: with release).
inline void storeRecord(unsigned char *rec, const Event &e, const Packed &p) {
    const auto *h = reinterpret_cast<const unsigned char *>(&e);
    std::memcpy(rec, h, KindOffset); // tNs
    std::memcpy(rec + KindOffset + 1, h + KindOffset + 1,
                HeaderBytes - KindOffset - 1); // actor, line, sock
    std::memcpy(rec + HeaderBytes, p.data(), 3 * sizeof(std::uint64_t));
    const auto last = std::uint32_t(p[3]);
    std::memcpy(rec + HeaderBytes + 24, &last, sizeof last);
}

// Decodes a compact record (rec[KindOffset] != OverflowKind).
inline Event decode(const unsigned char *rec) {
    Event e;
    std::memcpy(static_cast<void *>(&e), rec, HeaderBytes);
    e.kind = EventKind(rec[KindOffset] & ~WrittenBit);
    Packed p{};
    std::memcpy(p.data(), rec + HeaderBytes, 3 * sizeof(std::uint64_t));
    p[3] = detail::load<std::uint32_t>(rec + HeaderBytes + 24);
    const Words w = decodeWords(e.kind, p);
    std::memcpy(e.raw, w.data(), sizeof e.raw);
    return e;
}

} // namespace sl::trace::compact
