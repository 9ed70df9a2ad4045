/*
 * ids.h: the lengths of the public identifiers, in base62 characters.
 * Every public id (a code's, a webhook's, a delivery's) has the same
 * length; so does every short code.
 */
#ifndef QRE_IDS_H
#define QRE_IDS_H

#define CODE_ID_LEN 16			/* base62 characters of a public id */
#define SHORT_CODE_LEN 7		/* base62 characters of a short code */

#endif
