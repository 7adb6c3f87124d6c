/* The stop flag and the forced end (stop.h, docs/signals.md). Everything the handlers call is
 * async-signal-safe: open, getdents64, unlinkat, rmdir, unlink, tcsetattr, setitimer, write,
 * _exit. */
#include "stop.h"

#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <termios.h>
#include <unistd.h>

volatile sig_atomic_t stop_signal;
volatile sig_atomic_t reload_signal;

/* Folders and partial files a forced end removes: the recogniser's private folders and the
 * output files being written (a few at a time). */
#define STOP_SLOTS 16
/* A slot being filled: taken, not yet for the handler. */
#define SLOT_CLAIMED (-1)

/* kind: 0 free, SLOT_CLAIMED, else enum stop_kind + 1. Atomic, as threads add folders too (a
 * kitchen's second decoder makes its folder on its own thread) and the handler reads it (a
 * lock-free int is safe there). */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the stop handler reads the slots");
static struct {
	atomic_int kind;
	char path[PATH_MAX];
} slots[STOP_SLOTS];

static volatile sig_atomic_t exit_status = -1;
static volatile sig_atomic_t terminal_kept;
static int terminal_fd;
static struct termios terminal_saved;

/* The layout getdents64 fills in (the kernel's, not in a libc header). */
struct dirent64_raw {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

int stop_folder_remove(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* Unlinking while reading the folder may skip a name: read it again until it is empty. */
	for (int pass = 0; pass < 4; pass++) {
		char buf[4096] __attribute__((aligned(8)));
		bool removed = false;
		long n;
		lseek(fd, 0, SEEK_SET);
		while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
			for (long off = 0; off < n;) {
				struct dirent64_raw *e = (struct dirent64_raw *)(void *)(buf + off);
				off += e->d_reclen;
				const char *name = e->d_name;
				if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2])))
					continue;
				if (unlinkat(fd, name, 0) == 0)
					removed = true;
			}
		}
		if (!removed)
			break;
	}
	close(fd);
	return rmdir(dir) == 0 ? 0 : -errno;
}

void stop_exit_status_set(int status)
{
	exit_status = status;
}

int stop_cleanup_add(const char *path, enum stop_kind kind)
{
	if (strlen(path) >= PATH_MAX)
		return -ENAMETOOLONG;
	for (int i = 0; i < STOP_SLOTS; i++) {
		int free_slot = 0;
		if (!atomic_compare_exchange_strong(&slots[i].kind, &free_slot, SLOT_CLAIMED))
			continue;
		strcpy(slots[i].path, path);
		/* The path is whole before the handler can see the slot in use. */
		atomic_store(&slots[i].kind, (int)kind + 1);
		return 0;
	}
	return -ENOSPC;
}

void stop_cleanup_drop(const char *path)
{
	for (int i = 0; i < STOP_SLOTS; i++)
		if (atomic_load(&slots[i].kind) > 0 && strcmp(slots[i].path, path) == 0)
			atomic_store(&slots[i].kind, 0);
}

int stop_part_open(const char *path, char **part)
{
	char *dcopy = xstrdup(path), *bcopy = xstrdup(path);
	*part = xasprintf("%s/.%s.%ld.part", dirname(dcopy), basename(bcopy), (long)getpid());
	free(dcopy);
	free(bcopy);
	int fd = -1;
	for (int attempt = 0; attempt < 2 && fd < 0; attempt++) {
		fd = open(*part, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		/* A part of this pid left by an earlier, killed process of the same number. */
		if (fd < 0 && errno == EEXIST && attempt == 0)
			unlink(*part);
		else if (fd < 0)
			break;
	}
	if (fd < 0) {
		int r = -errno;
		free(*part);
		*part = NULL;
		return r;
	}
	/* Without a slot the part is still renamed or removed by a normal end. */
	stop_cleanup_add(*part, STOP_FILE);
	return fd;
}

int stop_part_finish(const char *part, const char *path, bool keep)
{
	int r = 0;
	if (keep && rename(part, path) != 0)
		r = -errno;
	if (!keep || r < 0)
		unlink(part);
	stop_cleanup_drop(part);
	return r;
}

int stop_terminal_keep(int fd)
{
	terminal_kept = 0;
	atomic_signal_fence(memory_order_seq_cst);
	if (tcgetattr(fd, &terminal_saved) != 0)
		return -errno;
	terminal_fd = fd;
	atomic_signal_fence(memory_order_seq_cst);
	terminal_kept = 1;
	return 0;
}

void stop_terminal_forget(void)
{
	terminal_kept = 0;
}

/* The forced end: clean what is registered and leave with the status a stop gives. */
static void end_now(int sig)
{
	for (int i = 0; i < STOP_SLOTS; i++) {
		int kind = atomic_load(&slots[i].kind);
		if (kind == STOP_FOLDER + 1)
			stop_folder_remove(slots[i].path);
		else if (kind == STOP_FILE + 1)
			unlink(slots[i].path);
	}
	if (terminal_kept)
		tcsetattr(terminal_fd, TCSANOW, &terminal_saved);
	static const char msg[] = "talkleaf: stopped (ended by force after a stop signal)\n";
	ssize_t w = write(STDERR_FILENO, msg, sizeof(msg) - 1);
	(void)w;
	_exit(exit_status >= 0 ? exit_status : 128 + sig);
}

static void on_stop(int sig)
{
	int saved = errno;
	/* A second signal: whoever sends it will not wait. */
	if (stop_signal)
		end_now(stop_signal);
	stop_signal = sig;
	struct itimerval grace = { .it_value = { .tv_sec = STOP_GRACE_MS / 1000,
						 .tv_usec = (STOP_GRACE_MS % 1000) * 1000 } };
	setitimer(ITIMER_REAL, &grace, NULL);
	errno = saved;
}

static void on_grace_end(int sig)
{
	end_now(stop_signal ? stop_signal : sig);
}

void stop_on_signals(void)
{
	const int sigs[] = { SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGALRM };
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction old;
		/* A hang-up ignored from the start (nohup) is meant to be survived. Ctrl-C is
		 * caught even when ignored (a non-interactive shell's background job): whoever
		 * sends it means stop. */
		if (sigs[i] == SIGHUP && sigaction(sigs[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		sa.sa_handler = sigs[i] == SIGALRM ? on_grace_end : on_stop;
		/* No SA_RESTART: a blocking read returns, so Ctrl-C is noticed at once. */
		sigaction(sigs[i], &sa, NULL);
	}
}

static void on_reload(int sig)
{
	reload_signal = sig;
}

void stop_reload_on_sighup(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_reload;
	/* The loop polls the flag every block: a read cut short would only be an error to
	 * handle (EINTR) where nothing needs to end. */
	sa.sa_flags = SA_RESTART;
	sigaction(SIGHUP, &sa, NULL);
}

bool stop_reload_take(void)
{
	if (!reload_signal)
		return false;
	reload_signal = 0;
	return true;
}
