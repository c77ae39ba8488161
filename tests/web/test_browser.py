"""The operations centre in a real headless Chromium (Debian's ``chromium`` and
``chromium-driver``, driven by Selenium): sign in as each role, read tonight, acknowledge an
order, be refused another's order, see a validation error, change a one-time password.
Screenshots go to ``out/browser/``.

The tests skip only when Chromium is absent and we are not in CI; with ``CI=true`` they run
(and fail without a browser: ``.ci/run`` installs it).
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .web_cases import AWAY_SITE, PASSWORD, PRINCIPAL_SITE

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
HAVE_BROWSER = os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)
IN_CI = os.environ.get("CI", "").lower() == "true"
SHOTS = Path(__file__).resolve().parents[2] / "out" / "browser"

pytestmark = pytest.mark.skipif(
    not HAVE_BROWSER and not IN_CI,
    reason="Chromium and chromedriver are not installed (apt-get install chromium "
           "chromium-driver; make test installs them); in CI these tests always run")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1200,900"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """uvicorn on 127.0.0.1 and a free port, in a thread, stopped at the end."""
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                            lifespan="off")
    runner = uvicorn.Server(config)
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not runner.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    runner.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="escolta-chromium-")
    for flag in FLAGS + [f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _shot(driver, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"{name}.png"))


def _sign_in(driver, server: str, name: str, password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    driver.get(server + "/signin")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "signin").click()
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 30).until(
        lambda d: not d.current_url.endswith("/signin") or d.find_elements(By.ID, "message"))
    messages = driver.find_elements(By.ID, "message")
    assert not messages, messages[0].text


HOMES = [("chief", "/tonight", "Tonight"), ("planner", "/plan", "The plan in force"),
         ("ana", "/tonight", "Your orders"), ("auditor", "/audit", "Audit log")]


@pytest.mark.parametrize(("name", "home", "heading"), HOMES, ids=[h[0] for h in HOMES])
def test_each_role_signs_in_to_its_home(name: str, home: str, heading: str, server: str,
                                        browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    _sign_in(browser, server, name)
    assert browser.current_url == server + home
    assert heading in browser.find_element(By.TAG_NAME, "h1").text
    assert name in browser.find_element(By.ID, "who").text
    _shot(browser, f"home-{name}")


def test_the_chief_reads_tonight(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    _sign_in(browser, server, "chief")
    night = browser.find_element(By.ID, "night").text
    assert PRINCIPAL_SITE in night
    assert "FALCON" in browser.find_element(By.ID, "orders").text
    _shot(browser, "tonight-chief")


def test_an_officer_acknowledges_their_order(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    _sign_in(browser, server, "ana")
    order = browser.find_element(By.ID, "order-o-ana-tonight")
    assert AWAY_SITE in order.text and PRINCIPAL_SITE not in browser.page_source
    _shot(browser, "officer-before-ack")
    order.find_element(By.CLASS_NAME, "ack").click()
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    def acknowledged(driver) -> bool:  # type: ignore[no-untyped-def]
        try:  # the old page's element goes stale when the new page loads
            return "Acknowledged at" in driver.find_element(By.ID, "order-o-ana-tonight").text
        except StaleElementReferenceException:
            return False

    WebDriverWait(browser, 30).until(acknowledged)
    _shot(browser, "officer-after-ack")


def test_an_officer_is_refused_another_officers_order(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    _sign_in(browser, server, "ana")
    browser.get(server + "/orders/o-beto-tonight")
    assert "Not allowed" in browser.find_element(By.TAG_NAME, "h1").text
    assert PRINCIPAL_SITE not in browser.page_source and "FALCON" not in browser.page_source
    _shot(browser, "officer-refused")


def test_a_planner_sees_a_validation_error_beside_the_field(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    _sign_in(browser, server, "planner")
    browser.get(server + "/scenarios")
    area = browser.find_element(By.ID, "text")
    area.send_keys("principal: P\nsites:\n  - {name: a, success: [0.5, 1.5]}\n")
    browser.find_element(By.ID, "check").click()
    from selenium.webdriver.support.ui import WebDriverWait

    error = WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.ID, "field-error"))[0]
    assert "sites[0].success[1]" in error.text
    field = browser.find_element(By.CSS_SELECTOR, ".field.invalid")
    assert field.find_element(By.ID, "field-error") == error  # beside the textarea
    _shot(browser, "scenario-error")


def test_a_chief_with_a_one_time_password_is_made_to_change_it(server: str, app,
                                                               browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from escolta.operations.users import add_user
    from escolta.security.keyfile import load_key

    one_time = "printed once by escolta serve"
    with app.state.store.transaction() as session:
        add_user(session, load_key(app.state.store.path), name="new-chief", role="chief",
                 password=one_time, one_time=True)
    _sign_in(browser, server, "new-chief", one_time)
    assert browser.current_url == server + "/password"
    assert "one-time password" in browser.find_element(By.ID, "one-time").text
    assert "at least 12 characters" in browser.find_element(By.ID, "rule").text
    _shot(browser, "one-time-password")
    browser.get(server + "/tonight")  # nothing else opens until it is changed
    assert browser.current_url == server + "/password"
    browser.find_element(By.ID, "current").send_keys(one_time)
    browser.find_element(By.ID, "new").send_keys("the new chief's own passphrase")
    browser.find_element(By.ID, "repeat").send_keys("the new chief's own passphrase")
    browser.find_element(By.ID, "change").click()
    WebDriverWait(browser, 30).until(lambda d: d.current_url == server + "/tonight")
    assert "Tonight" in browser.find_element(By.TAG_NAME, "h1").text
    assert PRINCIPAL_SITE in browser.find_element(By.ID, "night").text
    _shot(browser, "one-time-password-changed")
