/* `talkleaf devices`: the sound devices PortAudio sees, and (with --open) a trial opening of the
 * microphone and speaker the live assistant would use. No device at all gives one line saying
 * what is missing and what to try, and a non-zero exit. */
#include "commands.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "audio.h"
#include "cli.h"
#include "json.h"
#include "log.h"
#include "monotonic.h"

static void print_json(const struct audio_device_info *list, size_t n)
{
	printf("[");
	for (size_t i = 0; i < n; i++) {
		const struct audio_device_info *d = &list[i];
		printf("%s{\"index\": %d, \"name\": ", i ? ", " : "", d->index);
		json_write_string(stdout, d->name);
		printf(", \"host_api\": ");
		json_write_string(stdout, d->host_api);
		printf(", \"inputs\": %d, \"outputs\": %d, \"default_rate_hz\": %.0f, "
		       "\"default_input\": %s, \"default_output\": %s}",
		       d->max_input_channels, d->max_output_channels, d->default_rate_hz,
		       d->is_default_input ? "true" : "false",
		       d->is_default_output ? "true" : "false");
	}
	printf("]\n");
}

static void print_table(const struct audio_device_info *list, size_t n)
{
	printf("%3s  %3s %3s %6s  %s\n", "#", "in", "out", "rate", "name (host API)");
	for (size_t i = 0; i < n; i++) {
		const struct audio_device_info *d = &list[i];
		printf("%3d  %3d %3d %6.0f  %s (%s)%s%s\n", d->index, d->max_input_channels,
		       d->max_output_channels, d->default_rate_hz, d->name, d->host_api,
		       d->is_default_input ? "  [default input]" : "",
		       d->is_default_output ? "  [default output]" : "");
	}
}

/* Open the microphone and speaker as the live loop would, report rates, latency and time. */
static int trial_open(struct audio_system *sys, const char *input, const char *output)
{
	struct audio_device_config cfg;
	char err[512];
	int status = 0;
	audio_device_config_defaults(&cfg);
	cfg.device = input;
	struct audio_source *src = NULL;
	double t0 = monotonic_s();
	if (audio_source_open_device(sys, &cfg, &src, err, sizeof(err)) < 0) {
		log_error("%s", err);
		status = 1;
	} else {
		printf("microphone: %s, opened in %.0f ms\n", audio_source_name(src),
		       (monotonic_s() - t0) * 1000);
	}
	audio_device_config_defaults(&cfg);
	cfg.device = output;
	struct audio_sink *sink = NULL;
	t0 = monotonic_s();
	if (audio_sink_open_device(sys, &cfg, &sink, err, sizeof(err)) < 0) {
		log_error("%s", err);
		status = 1;
	} else {
		printf("speaker: %s, %d Hz, latency %.0f ms, opened in %.0f ms\n",
		       audio_sink_name(sink), audio_sink_rate(sink),
		       audio_sink_latency_s(sink) * 1000, (monotonic_s() - t0) * 1000);
	}
	audio_sink_destroy(sink);
	audio_source_destroy(src);
	return status;
}

int cmd_devices(const struct app *app, int argc, char **argv)
{
	bool json = false, open = false;
	const char *input = NULL, *output = NULL;
	const struct cli_option options[] = {
		{ "json", CLI_FLAG, &json, NULL, "print a JSON array" },
		{ "open", CLI_FLAG, &open, NULL,
		  "also open the microphone and speaker talkleaf would use, and say how it went" },
		{ "input-device", CLI_STRING, &input, "NAME|N", "microphone to try with --open" },
		{ "output-device", CLI_STRING, &output, "NAME|N", "speaker to try with --open" },
		{ NULL },
	};
	const struct cli_command cmd = {
	    "devices",
	    "[--json] [--open [--input-device NAME|N] [--output-device NAME|N]]",
	    "List the sound devices: number, name, input and output channels, default rate, and\n"
	    "which are the defaults. The number or (part of) the name chooses one with\n"
	    "--input-device / --output-device. Exits 1 when there is no sound device.",
	    options,
	};
	char err[512], **pos;
	int npos, r = cli_parse_command(&cmd, argc, argv, &pos, &npos, 0);
	if (r != CLI_CONTINUE)
		return r;
	struct audio_system *sys = NULL;
	double t0 = monotonic_s();
	if (audio_system_create(app->verbose, &sys, err, sizeof(err)) < 0) {
		log_error("%s", err);
		return 1;
	}
	double init_ms = (monotonic_s() - t0) * 1000;
	struct audio_device_info *list = NULL;
	size_t n = 0;
	int status = 0;
	if (audio_system_devices(sys, &list, &n, err, sizeof(err)) < 0) {
		log_error("%s", err);
		status = 1;
	} else if (n == 0) {
		log_error("no sound device found (connect a headset or a microphone and speaker, "
			  "check that PulseAudio or PipeWire is running; --verbose shows the sound "
			  "libraries' messages)");
		status = 1;
	} else {
		if (json)
			print_json(list, n);
		else
			print_table(list, n);
		log_info("sound system started in %.0f ms", init_ms);
		if (open)
			status = trial_open(sys, input, output);
	}
	free(list);
	audio_system_destroy(sys);
	return status;
}
