// The addon's contract check: while a capture is active, SysBpf does not call bpf(); it records the
// command, the size and the bytes of the attr it would have passed, and returns the result the capture was
// started with. test/native-boundary.test.ts compares the recorded bytes field by field with uapi's
// compiler-derived layouts of union bpf_attr, for every command the addon issues, so an argument that
// lands in the wrong field fails a test instead of reaching a kernel.
#pragma once

#include <linux/bpf.h>

namespace progrun {

// Whether a capture takes this call (one relaxed atomic load while none is active: the hot path pays
// nothing more). Commands the capture was told to pass through still reach the kernel.
bool AttrCaptureTakes(int cmd);

// Records the call and returns the capture's result.
long CaptureAttr(int cmd, const union bpf_attr* attr, unsigned int size);

}  // namespace progrun
