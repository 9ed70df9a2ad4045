/*
 * fcgi_mem.h: an in-memory FastCGI request for the unit tests (one
 * header, like tap.h).  The parameters are "NAME=value" strings, the
 * body is read from memory and the answer is written to memory, through
 * libfcgi's own FCGX_GetStr/FCGX_PutStr on hand-made streams: no socket.
 */
#ifndef QRE_FCGI_MEM_H
#define QRE_FCGI_MEM_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <fcgiapp.h>

#define FCGI_MEM_PARAMS 16
#define FCGI_MEM_PARAM_MAX 256
#define FCGI_MEM_OUT_MAX 65536
#define FCGI_MEM_IN_MAX 65536

struct fcgi_mem {
	FCGX_Request req;
	FCGX_Stream in, out;
	char params[FCGI_MEM_PARAMS][FCGI_MEM_PARAM_MAX];
	char *envp[FCGI_MEM_PARAMS + 1];
	size_t nparams;
	unsigned char inbuf[FCGI_MEM_IN_MAX];
	unsigned char outbuf[FCGI_MEM_OUT_MAX + 1];
};

/* The whole body was in the buffer: the next read sees end of input. */
static inline void
fcgi_mem_fill(FCGX_Stream *s)
{
	s->isClosed = 1;
}

/* The answer outgrew the buffer: FCGX_PutStr then fails. */
static inline void
fcgi_mem_empty(FCGX_Stream *s, int doClose)
{
	(void)doClose;
	s->isClosed = 1;
}

/* An empty request: no parameters, no body, nothing written yet. */
static inline void
fcgi_mem_init(struct fcgi_mem *m)
{
	memset(m, 0, sizeof(*m));
	m->in.isReader = 1;
	m->in.rdNext = m->in.stop = m->in.stopUnget = m->inbuf;
	m->in.wrNext = m->in.stop;
	m->in.fillBuffProc = fcgi_mem_fill;
	m->out.wrNext = m->outbuf;
	m->out.stop = m->outbuf + FCGI_MEM_OUT_MAX;
	m->out.rdNext = m->out.stop;
	m->out.emptyBuffProc = fcgi_mem_empty;
	m->req.in = &m->in;
	m->req.out = &m->out;
	m->req.err = &m->out;
	m->req.envp = m->envp;
}

/* Add the parameter "NAME=value"; -1 when there is no room. */
static inline int
fcgi_mem_param(struct fcgi_mem *m, const char *name, const char *value)
{
	char *p;
	int n;

	if (m->nparams >= FCGI_MEM_PARAMS)
		return -1;
	p = m->params[m->nparams];
	n = snprintf(p, FCGI_MEM_PARAM_MAX, "%s=%s", name, value);
	if (n < 0 || n >= FCGI_MEM_PARAM_MAX)
		return -1;
	m->envp[m->nparams++] = p;
	m->envp[m->nparams] = NULL;
	return 0;
}

/* The body the application will read: len bytes of body. */
static inline void
fcgi_mem_body(struct fcgi_mem *m, const void *body, size_t len)
{
	if (len > sizeof(m->inbuf))
		len = sizeof(m->inbuf);
	memcpy(m->inbuf, body, len);
	m->in.stop = m->in.wrNext = m->inbuf + len;
}

/* What was written so far, NUL-terminated. */
static inline const char *
fcgi_mem_output(struct fcgi_mem *m)
{
	*m->out.wrNext = '\0';
	return (const char *)m->outbuf;
}

/* The body of the answer (after the blank line), or NULL. */
static inline const char *
fcgi_mem_answer_body(struct fcgi_mem *m)
{
	const char *s = strstr(fcgi_mem_output(m), "\r\n\r\n");

	return s != NULL ? s + 4 : NULL;
}

/* 1 if the answer's head has the line "line" (without its CRLF). */
static inline int
fcgi_mem_has_header(struct fcgi_mem *m, const char *line)
{
	const char *p = fcgi_mem_output(m), *end = strstr(p, "\r\n\r\n");
	size_t n = strlen(line);

	while (end != NULL && p <= end) {
		if (strncmp(p, line, n) == 0 && p[n] == '\r')
			return 1;
		p = strstr(p, "\r\n") + 2;
	}
	return 0;
}

#endif
