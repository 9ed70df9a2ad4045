/* server.c: see server.h. */
#include "util.h"
#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "codegen.h"
#include "log.h"
#include "server.h"
#include "worker.h"

struct slot {
	pid_t pid;		/* 0 when empty */
	long long started_ms;
	long long respawn_at_ms;	/* when to fork again after a death */
	int quick_deaths;	/* consecutive deaths soon after start */
};

/*
 * Workers of an earlier config, finishing their request after a reload;
 * killed if still there after graceful_timeout.
 */
struct retiring {
	pid_t pids[SERVER_RETIRING_MAX];
	long long deadline_ms[SERVER_RETIRING_MAX];
	size_t n;
};

struct server {
	struct qre_config *cfg;
	int listen_fd;
	pid_t master;
	struct slot slots[SERVER_WORKERS_MAX];
	int nslots;
	struct retiring old;
	sigset_t waitset;	/* the signals the master handles */
};

static int
worker_count(const struct qre_config *cfg)
{
	long n = cfg->workers;

	if (n == 0) {
		n = sysconf(_SC_NPROCESSORS_ONLN);
		if (n < 1)
			n = 1;
	}
	return n > SERVER_WORKERS_MAX ? SERVER_WORKERS_MAX : (int)n;
}

static void
spawn(struct server *s, struct slot *slot)
{
	sigset_t none;
	pid_t pid;

	if ((pid = fork()) == -1) {
		log_err("fork: %s", strerror(errno));
		slot->respawn_at_ms = clock_ms(CLOCK_MONOTONIC) + SERVER_BACKOFF_MAX_MS;
		return;
	}
	if (pid == 0) {
		/* Die with the master, even if it is killed with SIGKILL. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != s->master)
			_exit(0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		_exit(worker_main(s->listen_fd, s->cfg));
	}
	slot->pid = pid;
	slot->started_ms = clock_ms(CLOCK_MONOTONIC);
	slot->respawn_at_ms = 0;
	log_debug("worker %ld started", (long)pid);
}

static struct slot *
slot_of(struct server *s, pid_t pid)
{
	for (int i = 0; i < s->nslots; i++)
		if (s->slots[i].pid == pid)
			return &s->slots[i];
	return NULL;
}

static int
retiring_remove(struct retiring *old, pid_t pid)
{
	for (size_t i = 0; i < old->n; i++)
		if (old->pids[i] == pid) {
			old->n--;
			old->pids[i] = old->pids[old->n];
			old->deadline_ms[i] = old->deadline_ms[old->n];
			return 1;
		}
	return 0;
}

/*
 * Retiring workers get SIGTERM again each tick (a signal that raced with
 * their wait is not lost) and SIGKILL at their deadline.
 */
static void
retiring_tick(struct server *s)
{
	long long now = clock_ms(CLOCK_MONOTONIC);

	for (size_t i = 0; i < s->old.n; i++) {
		if (now >= s->old.deadline_ms[i]) {
			log_warn("worker %ld still busy %lds after reload; "
			    "killing it", (long)s->old.pids[i],
			    s->cfg->graceful_timeout);
			kill(s->old.pids[i], SIGKILL);
		} else
			kill(s->old.pids[i], SIGTERM);
	}
}

static void
describe_exit(int status, char *buf, size_t bufsz)
{
	if (WIFSIGNALED(status))
		snprintf(buf, bufsz, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, bufsz, "exited with status %d", WEXITSTATUS(status));
}

/*
 * A worker killed by a signal people and supervisors send (kill -9, the
 * OOM killer, a stray SIGTERM) did nothing wrong: it is replaced at once.
 * Crashes (SIGSEGV, SIGABRT, a non-zero exit) count towards back-off.
 */
static int
killed_from_outside(int status)
{
	if (!WIFSIGNALED(status))
		return 0;
	switch (WTERMSIG(status)) {
	case SIGKILL:
	case SIGTERM:
	case SIGINT:
	case SIGQUIT:
		return 1;
	default:
		return 0;
	}
}

/*
 * No wait for a first quick death; from the second in a row, a delay
 * that doubles up to SERVER_BACKOFF_MAX_MS, so a worker that crashes
 * on start does not spin the machine.
 */
static long long
backoff_ms(int quick_deaths)
{
	long long delay = SERVER_BACKOFF_MIN_MS;

	if (quick_deaths < 2)
		return 0;
	for (int i = 2; i < quick_deaths && delay < SERVER_BACKOFF_MAX_MS; i++)
		delay *= 2;
	return delay > SERVER_BACKOFF_MAX_MS ? SERVER_BACKOFF_MAX_MS : delay;
}

/* Collect dead children; a worker of the current set is scheduled again. */
static void
reap(struct server *s, int stopping)
{
	char how[64];
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		struct slot *slot;
		long long now = clock_ms(CLOCK_MONOTONIC), delay;

		if (retiring_remove(&s->old, pid))
			continue;
		if ((slot = slot_of(s, pid)) == NULL)
			continue;
		slot->pid = 0;
		if (stopping)
			continue;
		describe_exit(status, how, sizeof(how));
		if (killed_from_outside(status))
			delay = 0;	/* an operator's kill is not a crash loop */
		else {
			if (now - slot->started_ms < SERVER_QUICK_DEATH_MS)
				slot->quick_deaths++;
			else
				slot->quick_deaths = 0;
			delay = backoff_ms(slot->quick_deaths);
		}
		log_warn("worker %ld %s; respawning in %lld ms", (long)pid, how,
		    delay);
		slot->respawn_at_ms = now + delay;
	}
}

static void
respawn_due(struct server *s)
{
	long long now = clock_ms(CLOCK_MONOTONIC);

	for (int i = 0; i < s->nslots; i++)
		if (s->slots[i].pid == 0 && s->slots[i].respawn_at_ms <= now)
			spawn(s, &s->slots[i]);
}

/* Milliseconds until the next respawn is due, capped for the loop. */
static long long
next_wakeup(const struct server *s, long long cap)
{
	long long now = clock_ms(CLOCK_MONOTONIC), best = cap;

	for (int i = 0; i < s->nslots; i++)
		if (s->slots[i].pid == 0) {
			long long d = s->slots[i].respawn_at_ms - now;

			if (d < best)
				best = d < 0 ? 0 : d;
		}
	return best;
}

static int
children_left(const struct server *s)
{
	if (s->old.n > 0)
		return 1;
	for (int i = 0; i < s->nslots; i++)
		if (s->slots[i].pid != 0)
			return 1;
	return 0;
}

static void
signal_all(struct server *s, int sig)
{
	for (int i = 0; i < s->nslots; i++)
		if (s->slots[i].pid != 0)
			kill(s->slots[i].pid, sig);
	for (size_t i = 0; i < s->old.n; i++)
		kill(s->old.pids[i], sig);
}

/* SIGHUP: read the file again; on success replace every worker. */
static void
reload(struct server *s)
{
	struct qre_config *next;
	char err[1024];
	int n;

	if ((next = malloc(sizeof(*next))) == NULL) {
		log_err("reload: out of memory; keeping the running config");
		return;
	}
	if (config_load(s->cfg->path, next, err, sizeof(err)) == -1) {
		log_err("reload: %s; keeping the running config", err);
		free(next);
		return;
	}
	/* The socket and the pid file belong to the running master. */
	if (strcmp(next->listen, s->cfg->listen) != 0 ||
	    next->listen_mode != s->cfg->listen_mode ||
	    next->listen_backlog != s->cfg->listen_backlog ||
	    strcmp(next->pid_file, s->cfg->pid_file) != 0) {
		log_warn("reload: listen, listen_mode, listen_backlog and "
		    "pid_file change only on restart");
		strlcpy(next->listen, s->cfg->listen, sizeof(next->listen));
		strlcpy(next->pid_file, s->cfg->pid_file, sizeof(next->pid_file));
		next->listen_mode = s->cfg->listen_mode;
		next->listen_backlog = s->cfg->listen_backlog;
	}
	/* The old workers finish their request and go; new ones start now. */
	for (int i = 0; i < s->nslots; i++) {
		if (s->slots[i].pid == 0)
			continue;
		kill(s->slots[i].pid, SIGTERM);
		if (s->old.n == SERVER_RETIRING_MAX) {
			/* Reloads faster than workers retire: do not lose track. */
			kill(s->slots[i].pid, SIGKILL);
			continue;
		}
		s->old.pids[s->old.n] = s->slots[i].pid;
		s->old.deadline_ms[s->old.n] = clock_ms(CLOCK_MONOTONIC) +
		    s->cfg->graceful_timeout * 1000L;
		s->old.n++;
	}
	memcpy(s->cfg, next, sizeof(*next));
	free(next);
	log_set_level((enum log_level)s->cfg->log_level);
	n = worker_count(s->cfg);
	memset(s->slots, 0, sizeof(s->slots));
	s->nslots = n;
	for (int i = 0; i < n; i++)
		spawn(s, &s->slots[i]);
	log_info("reloaded %s: %d workers", s->cfg->path, n);
}

/*
 * FCGX_OpenSocket() unlinks whatever is at the path, even the live socket
 * of another master; refuse to start instead.
 */
static void
refuse_live_socket(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (path[0] != '/' || strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path))
		return;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		fatal("%s: another qre-fcgi is listening there", path);
	close(fd);
}

static int
open_listener(const struct qre_config *cfg)
{
	int fd, flags;

	refuse_live_socket(cfg->listen);
	if ((fd = FCGX_OpenSocket(cfg->listen, (int)cfg->listen_backlog)) < 0)
		fatal("cannot listen on %s: %s", cfg->listen, strerror(errno));
	if (cfg->listen[0] == '/' &&
	    chmod(cfg->listen, (mode_t)cfg->listen_mode) == -1)
		fatal("chmod %s: %s", cfg->listen, strerror(errno));
	/* Non-blocking: see worker_main() on EPOLLEXCLUSIVE. */
	if ((flags = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1)
		fatal("fcntl: %s", strerror(errno));
	return fd;
}

static void
write_pid_file(const char *path)
{
	FILE *fp;

	if (path[0] == '\0')
		return;
	if ((fp = fopen(path, "w")) == NULL)
		fatal("%s: %s", path, strerror(errno));
	fprintf(fp, "%ld\n", (long)getpid());
	if (fclose(fp) != 0)
		fatal("%s: %s", path, strerror(errno));
}

static void
stop(struct server *s)
{
	long long deadline = clock_ms(CLOCK_MONOTONIC) + s->cfg->graceful_timeout * 1000L;
	struct timespec tick = { 0, 100 * 1000000L };
	long long next_signal = 0;
	int killed = 0;

	log_info("stopping: waiting up to %lds for workers to finish",
	    s->cfg->graceful_timeout);
	while (children_left(s)) {
		long long now = clock_ms(CLOCK_MONOTONIC);

		/*
		 * Repeat the SIGTERM: a worker busy with a request gets it
		 * when it next waits; repeating costs nothing and covers any
		 * signal that raced with a wait.
		 */
		if (now >= next_signal && !killed) {
			signal_all(s, SIGTERM);
			next_signal = now + SERVER_RESIGNAL_MS;
		}
		if (now >= deadline && !killed) {
			log_warn("stopping: workers still busy after %lds; "
			    "killing them", s->cfg->graceful_timeout);
			signal_all(s, SIGKILL);
			killed = 1;
		}
		sigtimedwait(&s->waitset, NULL, &tick);
		reap(s, 1);
	}
}

int
server_run(struct qre_config *cfg)
{
	static struct server s;
	sigset_t mask;
	int stopping = 0;

	memset(&s, 0, sizeof(s));
	s.cfg = cfg;
	s.master = getpid();
	/* libfcgi's global set-up (it also ignores SIGPIPE for us). */
	if (FCGX_Init() != 0)
		fatal("FCGX_Init failed");
	s.listen_fd = open_listener(cfg);
	/* Mapped before the first fork, so every worker shares them. */
	if (codegen_init() == -1)
		log_warn("no shared code counters: redirects will not be cached");
	write_pid_file(cfg->pid_file);

	/* The master takes its signals synchronously with sigtimedwait(). */
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	s.waitset = mask;
	signal(SIGPIPE, SIG_IGN);

	s.nslots = worker_count(cfg);
	for (int i = 0; i < s.nslots; i++)
		spawn(&s, &s.slots[i]);
	log_info("listening on %s with %d workers", cfg->listen, s.nslots);

	while (!stopping) {
		long long wait = next_wakeup(&s, 1000);
		struct timespec ts = { wait / 1000, (wait % 1000) * 1000000L };
		int sig = sigtimedwait(&s.waitset, NULL, &ts);

		switch (sig) {
		case SIGTERM:
		case SIGINT:
			stopping = 1;
			break;
		case SIGHUP:
			reload(&s);
			break;
		default:	/* SIGCHLD, timeout or EINTR */
			break;
		}
		reap(&s, stopping);
		if (!stopping) {
			respawn_due(&s);
			retiring_tick(&s);
		}
	}
	stop(&s);
	close(s.listen_fd);
	if (cfg->listen[0] == '/')
		unlink(cfg->listen);
	if (cfg->pid_file[0] != '\0')
		unlink(cfg->pid_file);
	log_info("stopped");
	return 0;
}
