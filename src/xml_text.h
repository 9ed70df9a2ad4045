/*
 * xml_text.h: text as XML character data (SVG <text>), whatever bytes
 * it holds.
 */
#ifndef QRE_XML_TEXT_H
#define QRE_XML_TEXT_H

#include <stddef.h>

struct bytebuf;

/*
 * Append s as XML 1.0 character data: & < > " ' escaped, and every byte
 * that is not valid UTF-8 or not an XML Char (controls, U+FFFE, ...)
 * replaced by U+FFFD, so the document stays well-formed.
 */
void	xml_put_text(struct bytebuf *, const unsigned char *s, size_t len);

#endif
