// Graceful termination: the process waits for SIGTERM or SIGINT in one place.
#pragma once

namespace thb {

// Blocks SIGTERM and SIGINT in this thread and every thread started after it; call first in main.
void BlockTerminationSignals();
// Waits for SIGTERM or SIGINT; returns the signal number.
int WaitForTerminationSignal();

}  // namespace thb
