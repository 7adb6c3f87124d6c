/* paths_is_dir: the one "is this a folder" test the language finder (languages.c) and the assets
 * loader (assets.c) share: a folder or a link to one is, a file, a missing path or NULL is not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "paths.h"

#define TMP_DIR TEST_BUILD_DIR "/paths-tmp"

static void test_is_dir(void **state)
{
	(void)state;
	assert_int_equal(system("rm -rf '" TMP_DIR "'"), 0);
	assert_int_equal(mkdir(TMP_DIR, 0700), 0);
	assert_int_equal(mkdir(TMP_DIR "/folder", 0700), 0);
	FILE *f = fopen(TMP_DIR "/file.txt", "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(symlink("folder", TMP_DIR "/link"), 0);
	assert_int_equal(symlink("missing", TMP_DIR "/dangling"), 0);

	assert_true(paths_is_dir(TMP_DIR "/folder"));
	assert_true(paths_is_dir(TMP_DIR "/link")); /* a language folder may be a link */
	assert_false(paths_is_dir(TMP_DIR "/file.txt"));
	assert_false(paths_is_dir(TMP_DIR "/dangling"));
	assert_false(paths_is_dir(TMP_DIR "/missing"));
	assert_false(paths_is_dir(""));
	assert_false(paths_is_dir(NULL)); /* an optional folder that is not set */
	/* The built-in scripts are found where the loaders look for them. */
	assert_true(paths_is_dir(paths_scripts_dir()));
	assert_int_equal(system("rm -rf '" TMP_DIR "'"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
