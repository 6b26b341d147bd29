"""`timeline serve` in a real browser: headless Chromium opens the page, the app
renders, a person types a filter, and the page shows the narrowed list.

The page draws the terminal on a canvas (xterm.js), so the test reads what the
page received to draw: a script installed before the page's own records every
WebSocket message. Keys go to xterm's input, as a person's would."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="Chromium is not installed (apt-get install chromium chromium-driver; .ci/run does it)",
)

RECORD_WEBSOCKET = """
window.__received = [];
const Native = window.WebSocket;
window.WebSocket = function (url, protocols) {
  const socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
  socket.addEventListener("message", async (event) => {
    let data = event.data;
    if (data instanceof Blob) data = await data.arrayBuffer();
    if (data instanceof ArrayBuffer) data = new TextDecoder("utf-8").decode(data);
    window.__received.push(String(data));
  });
  return socket;
};
window.WebSocket.prototype = Native.prototype;
Object.assign(window.WebSocket, Native);
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "TIMELINE_DATA_DIR": str(tmp_path)}
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(url, timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server never answered")
        yield url
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    os.environ["SE_OFFLINE"] = "true"  # Selenium must not look for drivers on the network
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,800",
        f"--user-data-dir={tmp_path / 'chromium'}",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def received(driver: object) -> str:
    return str(driver.execute_script("return window.__received.join('')"))  # type: ignore[attr-defined]


def wait_for(driver: object, text: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while text not in received(driver):
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} never reached the page")
        time.sleep(0.2)


def test_the_app_in_a_browser_renders_and_filters(
    server: str, browser: object, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_WEBSOCKET})  # type: ignore[attr-defined]
    driver.get(server)  # type: ignore[attr-defined]
    wait_for(driver, "13 of 13 events")
    assert "North Korean soldiers captured in Kursk" in received(driver)
    keys = driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")  # type: ignore[attr-defined]
    keys.send_keys("/")
    time.sleep(0.3)
    keys.send_keys("on:2024-06-19")
    wait_for(driver, "1 of 13 events")
    assert "Russia and North Korea sign a strategic partnership treaty" in received(driver)
    driver.save_screenshot(str(tmp_path / "filtered.png"))  # type: ignore[attr-defined]


def test_serve_refuses_a_bad_file_before_serving(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"events": [}')
    result = subprocess.run(
        [sys.executable, "-m", "tui", "serve", str(bad), "--port", str(free_port())],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=30,
    )
    assert result.returncode == 2 and "invalid JSON" in result.stderr
