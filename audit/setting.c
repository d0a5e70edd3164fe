#include "audit/setting.h"

#include <stdio.h>
#include <string.h>

#include "audit/store/settings.h"

const char *const setting_keys[] = {"council", "marking", NULL};

static int known_key(const char *key)
{
    for (int i = 0; setting_keys[i]; i++)
        if (strcmp(key, setting_keys[i]) == 0)
            return 1;
    return 0;
}

/* VALUE without its leading and trailing spaces, into buf; CA_ERR when it cannot be a setting. */
static int clean_value(const char *key, const char *value, char *buf, size_t len, ca_error *err)
{
    while (*value == ' ')
        value++;
    size_t n = strlen(value);
    while (n && value[n - 1] == ' ')
        n--;
    if (!n)
        return ca_fail(err, CA_REFUSED, "the %s cannot be blank", key);
    if (n >= len)
        return ca_fail(err, CA_REFUSED, "the %s is longer than %d characters", key, SETTING_MAX);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)value[i] < 0x20 || value[i] == 0x7f)
            return ca_fail(err, CA_REFUSED, "the %s has a control character (a tab or a line break?)", key);
    memcpy(buf, value, n);
    buf[n] = 0;
    return CA_OK;
}

int setting_set(ca_db *db, const char *key, const char *value, ca_error *err)
{
    char v[SETTING_MAX + 1], detail[SETTING_MAX + 64];
    if (!known_key(key))
        return ca_fail(err, CA_REFUSED, "there is no setting '%s' (council, marking)", key);
    if (clean_value(key, value, v, sizeof v, err) != CA_OK)
        return CA_ERR;
    snprintf(detail, sizeof detail, "settings: %s \"%s\"", key, v);
    int rc = db_begin(db, err);
    if (rc == CA_OK)
        rc = settings_put(db, key, v, err);
    if (rc == CA_OK)
        rc = db_event(db, "settings", NULL, NULL, detail, err);
    return rc == CA_OK ? db_commit(db, err) : (db_rollback(db), CA_ERR);
}

int settings_read(ca_db *db, ca_settings *out, ca_error *err)
{
    memset(out, 0, sizeof *out);
    snprintf(out->marking, sizeof out->marking, "%s", SETTING_DEFAULT_MARKING);
    char v[SETTING_MAX + 1];
    int got = settings_get(db, "council", v, sizeof v, err);
    if (got < 0)
        return CA_ERR;
    if (got == 1)
        snprintf(out->council, sizeof out->council, "%s", v), out->council_set = 1;
    if ((got = settings_get(db, "marking", v, sizeof v, err)) < 0)
        return CA_ERR;
    if (got == 1)
        snprintf(out->marking, sizeof out->marking, "%s", v), out->marking_set = 1;
    return CA_OK;
}
