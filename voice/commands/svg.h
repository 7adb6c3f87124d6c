/* Writing a one-page printable SVG by hand (it is text): an A4 page, text and boxes. For the
 * counts chart and the keypad card. */
#pragma once

#include <stdio.h>

/* The page in user units: A4 at 4 units a millimetre. */
#define SVG_PAGE_W 840
#define SVG_PAGE_H 1188

/* Start an A4 portrait page titled `title` (escaped). */
void svg_begin(FILE *f, const char *title);
void svg_end(FILE *f);
/* Text at (x, y) (its baseline), `size` units high; anchor "start", "middle" or "end"; bold when
 * weight is "bold". The text is escaped; its first letter is written as a capital when `cap`. */
void svg_text(FILE *f, double x, double y, double size, const char *anchor, const char *weight,
	      int cap, const char *text);
/* A filled rectangle with rounded corners `r` (0: square) and an outline when stroke is not
 * NULL. */
void svg_rect(FILE *f, double x, double y, double w, double h, double r, const char *fill,
	      const char *stroke);
/* Write `s` escaped for XML text or an attribute. */
void svg_escape(FILE *f, const char *s);
