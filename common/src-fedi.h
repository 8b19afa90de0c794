/* src-fedi: a fediverse account as a feed source (source.h, ap.h). */
#ifndef TH_SRC_FEDI_H
#define TH_SRC_FEDI_H

#include "source.h"

/* "@user@host" or an actor's https URL. fields: keep only these in its
 * records (the API's syntax: "id,text,children{media_url}"), or NULL. */
struct th_source th_src_fedi(const char *source, const char *fields);
#endif
