/* The one stop flag (STYLE.md) and what a forced end cleans up (docs/signals.md).
 *
 * SIGINT, SIGTERM, SIGQUIT and SIGHUP set the flag (SIGHUP may be routed to a reload flag
 * instead: stop_reload_on_sighup); loops poll it and end cleanly. A step that
 * cannot poll (a model loading inside a library, a write to a frozen device) is ended by the
 * grace timer: STOP_GRACE_MS after the first signal, or at a second one, the handler removes the
 * registered folders and partial files, restores the terminal, and ends the process, all with
 * async-signal-safe calls. Lives in audio/base/ so every library can poll it. */
#pragma once

#include <signal.h>
#include <stdbool.h>

/* How long a stopped program has to end by itself before the handler ends it. */
#define STOP_GRACE_MS 500

/* The number of the signal that asked to stop, else 0. */
extern volatile sig_atomic_t stop_signal;

/* True once a stop signal came. */
static inline bool stop_requested(void)
{
	return stop_signal != 0;
}

/* Catch SIGINT, SIGTERM, SIGQUIT and SIGHUP (a hang-up ignored from the start, as under nohup,
 * stays ignored) and arm the grace timer at the first one. Idempotent. */
void stop_on_signals(void);

/* Set by SIGHUP once stop_reload_on_sighup was called: reload what the program serves. */
extern volatile sig_atomic_t reload_signal;

/* Route SIGHUP to reload_signal instead of the stop flag (the station, whose unit's
 * ExecReload sends it): no grace timer, nothing ends. Call after stop_on_signals. */
void stop_reload_on_sighup(void);

/* True once after each SIGHUP since the last call (several in a row count as one). */
bool stop_reload_take(void);

/* The exit status after a stop, as a shell reports a process the signal ended. */
static inline int stop_status(void)
{
	return 128 + (int)stop_signal;
}

/* The status a forced end leaves with: `status`, or 128 + the signal (the default) when
 * negative. The live assistant ends with 0 when asked to stop, forced or not. */
void stop_exit_status_set(int status);

enum stop_kind {
	STOP_FOLDER, /* its files and itself are removed */
	STOP_FILE,   /* unlinked: a partial output */
};

/* Remove `path` if the process is ended by force. Called from one thread at a time (the
 * handler may run at any moment). Returns 0, or -ENOSPC when the table is full (then nothing is
 * cleaned by force; the normal exit still cleans), -ENAMETOOLONG. */
int stop_cleanup_add(const char *path, enum stop_kind kind);
/* Forget `path` (it was removed or kept on purpose). No effect when it is not registered. */
void stop_cleanup_drop(const char *path);

/* An output file written beside `path` as ".NAME.PID.part" and renamed over it at the end, so a
 * killed run never leaves half a file where the user's was: creates the part (new, with the
 * permissions a plain create gives) and registers it as a STOP_FILE. Returns its descriptor
 * (the caller closes it, or hands it on) with the part's path in *part (the caller frees it), or
 * a negative errno with *part NULL. */
int stop_part_open(const char *path, char **part);
/* Rename the part over `path` when `keep`, else remove it (the user's old file stays); either
 * way the part is forgotten. Returns 0 or a negative errno (the part is then removed). */
int stop_part_finish(const char *part, const char *path, bool keep);

/* Restore the terminal on `fd` to its state now if the process is ended by force (the normal
 * exit restores it itself). Returns 0 or a negative errno (not a terminal). */
int stop_terminal_keep(int fd);
/* No terminal to restore any more. */
void stop_terminal_forget(void);

/* Remove the files in `dir` (not its subfolders, not following links) and then `dir`, with
 * async-signal-safe calls only. Returns 0 or a negative errno. For the handler and the stale
 * folder sweep alike. */
int stop_folder_remove(const char *dir);
