/* ap-step: what one answer does to a fediverse reader (ap.h). */
#ifndef TH_AP_STEP_H
#define TH_AP_STEP_H

enum th_ap_step {
	TH_AP_MORE,	/* fetch th_ap_url() again before any posts */
	TH_AP_PAGE,	/* *posts holds a page; th_ap_url() NULL: the last */
	TH_AP_FAIL,	/* why says why, for a "SOURCE: skipped: why" */
};
/* On TH_AP_MORE and TH_AP_PAGE, a why that is not empty is a warning,
 * for a "SOURCE: why" (posts skipped, paging stopped). */

#endif
