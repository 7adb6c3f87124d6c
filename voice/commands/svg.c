#include "svg.h"

#include <ctype.h>

void svg_escape(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&apos;", f);
			break;
		default:
			/* Control characters are not allowed in XML 1.0. */
			if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n')
				fputc(*s, f);
		}
	}
}

void svg_begin(FILE *f, const char *title)
{
	fprintf(f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"210mm\" height=\"297mm\" "
		"viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Arial, Helvetica, sans-serif\">\n"
		"<title>",
		SVG_PAGE_W, SVG_PAGE_H);
	svg_escape(f, title);
	fprintf(f, "</title>\n<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>\n",
		SVG_PAGE_W, SVG_PAGE_H);
}

void svg_end(FILE *f)
{
	fputs("</svg>\n", f);
}

void svg_text(FILE *f, double x, double y, double size, const char *anchor, const char *weight,
	      int cap, const char *text)
{
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" text-anchor=\"%s\"%s%s%s>", x, y,
		size, anchor, weight ? " font-weight=\"" : "", weight ? weight : "",
		weight ? "\"" : "");
	if (cap && text && islower((unsigned char)text[0])) {
		fputc(toupper((unsigned char)text[0]), f);
		text++;
	}
	svg_escape(f, text);
	fputs("</text>\n", f);
}

void svg_rect(FILE *f, double x, double y, double w, double h, double r, const char *fill,
	      const char *stroke)
{
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"", x, y, w, h);
	if (r > 0)
		fprintf(f, " rx=\"%.1f\"", r);
	fprintf(f, " fill=\"%s\"", fill);
	if (stroke)
		fprintf(f, " stroke=\"%s\" stroke-width=\"3\"", stroke);
	fputs("/>\n", f);
}
