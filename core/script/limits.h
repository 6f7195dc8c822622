// Limits shared by the parser (which rejects a script beyond them with a diagnostic)
// and the engine (which sizes its tables by them and refuses, never crashes, past
// them).
//
// Thread affinity: none (constants).
#pragma once

namespace sl::script {

// Actors of one program: each is an OS thread, and the trace stores an actor as one
// byte (255 = no actor). ActorInfo slots are a fixed array of this size.
constexpr int MaxActors = 64;

} // namespace sl::script
