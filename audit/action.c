#include "audit/action.h"

#include <stdio.h>

#include "audit/store/audits.h"

int action_done(ca_db *db, long id, ca_day date, ca_error *err)
{
    if (date > db_today(db)) {
        char uk[CA_DATE_ISO_LEN];
        date_uk(date, uk);
        return ca_fail(err, CA_REFUSED, "the date %s is in the future", uk);
    }
    if (db_begin(db, err) != CA_OK)
        return CA_ERR;
    char case_id[256] = "", round[128] = "", uk[CA_DATE_ISO_LEN], detail[128];
    ca_day was = -1;
    int rc = CA_ERR, got = action_find(db, id, &was, case_id, sizeof case_id, round, sizeof round, err);
    if (got == 0)
        ca_fail(err, CA_REFUSED, "there is no action %ld (see 'caseaudit actions')", id);
    else if (got == 1 && was >= 0) {
        date_uk(was, uk);
        ca_fail(err, CA_REFUSED, "action %ld was already marked done on %s", id, uk);
    } else if (got == 1 && action_set_done(db, id, date, err) == CA_OK) {
        date_uk(date, uk);
        snprintf(detail, sizeof detail, "action %ld done on %s", id, uk);
        rc = db_event(db, "action", round, case_id, detail, err);
    }
    if (rc == CA_OK)
        return db_commit(db, err);
    db_rollback(db);
    return CA_ERR;
}
