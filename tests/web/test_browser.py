#!/usr/bin/env python3
"""The web front end in a real browser (SPEC §14): Debian's chromium driven over
WebDriver (python3-selenium): an auditor logs in and grades a case with a domain
grade and an action; a manager downgrades it with a reason (refused first without
one); the QA lead opens the report and downloads its xlsx; then the command line
checks the database. Screenshots of each page go to BIN/web-screenshots/.
Installs chromium, chromium-driver and python3-selenium when missing."""
import os
import subprocess
import sys


def ensure_packages():
    pkgs = ["chromium", "chromium-driver", "python3-selenium"]
    missing = [p for p in pkgs if subprocess.run(["dpkg-query", "-W", "-f=${Status}", p], capture_output=True,
                                                 text=True).stdout.find("install ok installed") < 0]
    if missing:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        print("test_browser: installing " + " ".join(missing), file=sys.stderr)
        subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True)
        subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=True,
                       env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


try:
    import selenium  # noqa: F401
except ImportError:
    ensure_packages()
    if sys.executable != "/usr/bin/python3":   # Debian's selenium is for Debian's python
        os.execv("/usr/bin/python3", ["/usr/bin/python3", *sys.argv])
ensure_packages()

import re          # noqa: E402
import time        # noqa: E402
import zipfile     # noqa: E402

from selenium import webdriver                                  # noqa: E402
from selenium.webdriver.chrome.service import Service          # noqa: E402
from selenium.webdriver.common.by import By                    # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

from webtest import Env, Server, check, finish                 # noqa: E402

env = Env()
s = Server(env)
ann_cases = [r[0] for r in env.q("SELECT case_id FROM round_case WHERE auditor = 'Ann' ORDER BY seq")]
graded, todo = ann_cases[0], ann_cases[1]
shots = os.path.join(os.environ.get("BIN", env.dir), "web-screenshots")
downloads = os.path.join(env.dir, "downloads")
os.makedirs(shots, exist_ok=True)
os.makedirs(downloads, exist_ok=True)

opts = webdriver.ChromeOptions()
for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--no-proxy-server",
             "--window-size=1100,1000", "--lang=en-GB"]:
    opts.add_argument(flag)
opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
opts.add_experimental_option("prefs", {"download.default_directory": downloads, "download.prompt_for_download": False})
d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
d.set_page_load_timeout(60)
d.implicitly_wait(10)   # find_element waits for the next page after a click
d.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
base = s.origin


def shot(name):
    d.save_screenshot(os.path.join(shots, name + ".png"))


def csp_violations():
    return [e["message"] for e in d.get_log("browser") if "Content Security Policy" in e["message"]]


def login(name):
    d.get(base + "/login")
    d.find_element(By.ID, "name").send_keys(name)
    d.find_element(By.ID, "password").send_keys("correct horse battery")
    d.find_element(By.CSS_SELECTOR, "form.card button").click()


def at(path):
    """Whether the browser reaches base + path (a click returns before the next page has loaded)."""
    try:
        WebDriverWait(d, 20).until(EC.url_to_be(base + path))
        return True
    except Exception:
        return False


def logout():
    d.find_element(By.CSS_SELECTOR, "form.logout button").click()
    check(at("/login"), f"logged out to /login ({d.current_url})")


try:
    # The auditor.
    d.get(base + "/my")
    check(d.current_url == base + "/login", "no session: the browser lands on /login")
    shot("01-login")
    login("Ann")
    check(at("/my"), f"Ann lands on /my ({d.current_url})")
    bg = d.find_element(By.TAG_NAME, "header").value_of_css_property("background-color")
    check(bg == "rgba(29, 79, 145, 1)", f"the stylesheet is applied under the policy ({bg})")
    check(d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en-GB", "the page's language")
    shot("02-my")
    d.find_element(By.LINK_TEXT, todo).click()
    check(at(f"/audit/2026-11/{todo}") and d.find_element(By.TAG_NAME, "h1").text == f"Case {todo}, round 2026-11", "the case page")
    Select(d.find_element(By.ID, "grade")).select_by_visible_text("Requires improvement")
    Select(d.find_element(By.ID, "domain_voice")).select_by_visible_text("Good")
    d.find_element(By.ID, "action").send_keys("Update the child's plan")
    # A date input's typing order follows the browser's locale; set the value itself.
    d.execute_script("arguments[0].value = '2026-12-10'", d.find_element(By.ID, "action_due"))
    d.find_element(By.ID, "note").send_keys("Seen in the browser")
    shot("03-audit-form")
    d.find_element(By.CSS_SELECTOR, "main form button").click()
    WebDriverWait(d, 20).until(EC.presence_of_element_located((By.XPATH, "//h2[text()='History']")))
    check("Correct the grade" in d.page_source and "Requires improvement (current)" in d.page_source,
          "after grading, the case shows its history and offers a correction")
    shot("04-audit-graded")
    check(csp_violations() == [], f"no policy violations on the auditor's pages: {csp_violations()}")
    logout()

    # The manager: refused without a reason, then recorded.
    login("Mo")
    check(at("/moderation"), f"Mo lands on /moderation ({d.current_url})")
    shot("05-moderation")
    d.find_element(By.LINK_TEXT, graded).click()
    check(at(f"/moderate/2026-11/{graded}"), "the moderation form")
    Select(d.find_element(By.ID, "grade")).select_by_visible_text("Requires improvement")
    d.find_element(By.CSS_SELECTOR, "main form button").click()
    WebDriverWait(d, 20).until(EC.presence_of_element_located((By.ID, "reason-problem")))
    problem = d.find_elements(By.ID, "reason-problem")
    check(problem and "a reason is required when the grade changes" in problem[0].text,
          "the missing reason is shown beside the reason field")
    shot("06-moderate-problem")
    d.find_element(By.ID, "reason").send_keys("The plan was out of date")
    d.find_element(By.CSS_SELECTOR, "main form button").click()
    check(at("/moderation") and "Requires improvement by Mo" in d.page_source,
          "the outcome is recorded")
    shot("07-moderated")
    logout()

    # The QA lead: rounds, the report, its xlsx.
    login("Quinn")
    check(at("/"), f"Quinn lands on / ({d.current_url})")
    shot("08-rounds")
    d.find_element(By.LINK_TEXT, "Report").click()
    q = d.find_element(By.ID, "quarter")
    q.clear()
    q.send_keys("2026Q4")
    q.submit()
    WebDriverWait(d, 20).until(EC.title_contains("2026Q4"))
    check("Case audit report: 2026Q4" in d.page_source, "the report for 2026Q4")
    shot("09-report")
    d.find_element(By.LINK_TEXT, "xlsx").click()
    path = os.path.join(downloads, "report-2026Q4.xlsx")
    for _ in range(100):
        if os.path.exists(path):
            break
        time.sleep(0.1)
    check(os.path.exists(path) and zipfile.is_zipfile(path) and "xl/workbook.xml" in zipfile.ZipFile(path).namelist(),
          "the report's xlsx downloaded as a workbook")
    d.set_window_size(390, 844)   # a phone
    d.get(base + "/")
    width = d.execute_script("return document.documentElement.scrollWidth")
    check(width <= 390, f"the rounds page fits a phone's width ({width} px)")
    shot("10-rounds-phone")
finally:
    d.quit()

# The command line sees what the browser did, by whom.
hist = env.ca("history", todo).stdout
check(re.search(r"\bAnn\s+grade\s+2026-11\s+" + todo + r"\s+graded Requires improvement by Ann", hist) is not None,
      f"history of {todo}: {hist}")
hist = env.ca("history", graded).stdout
check(re.search(r"\bMo\s+moderate\s", hist) is not None, f"history of {graded}: {hist}")
lst = env.ca("moderation", "list", "2026-11", "--format", "csv").stdout
check(re.search(graded + r",.*,Requires improvement,Mo,2026-11-24,The plan was out of date", lst) is not None or
      (f"{graded}," in lst and "The plan was out of date" in lst and ",Mo," in lst), f"moderation list: {lst}")
acts = env.ca("actions", "--format", "csv").stdout
check("Update the child's plan" in acts and "2026-12-10" in acts, f"the action: {acts}")
check(env.q(f"SELECT grade, auditor, note FROM audit_current WHERE case_id = '{todo}'") ==
      [(3, "Ann", "Seen in the browser")], "the audit row")
rc, err = s.stop()
check(rc == 0, f"clean stop {rc}")
print("screenshots in " + shots)
env.cleanup()
finish("web/test_browser")
