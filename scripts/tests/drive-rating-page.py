#!/usr/bin/env python3
"""Drives the rating page in headless Chromium (Debian's) over the DevTools
protocol on a pipe: opens URL, waits for the clip to play, takes a screenshot,
presses KEYS one by one (each after the page has loaded the next segment),
and prints what it saw as JSON, with the time from each key press to the
next clip playing. Used by the CLI tests of `ratingrl rate`.

usage: drive-rating-page.py [--watch SECONDS] URL SCREENSHOT.png KEY [KEY ...]
(--watch: how long the clip plays before each key, as a person watches it)
"""
import base64
import json
import os
import subprocess
import sys
import tempfile
import time

KEY_CODES = {"Backspace": ("Backspace", 8), " ": ("Space", 32), "s": ("KeyS", 83)}


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="ratingrl-chromium-")
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def place_pipes():  # the browser reads commands on fd 3 and writes answers on fd 4
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self.process = subprocess.Popen(
            ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             "--autoplay-policy=no-user-gesture-required", "--window-size=900,760", "--no-first-run",
             "--user-data-dir=" + self.profile, "about:blank"],
            preexec_fn=place_pipes, pass_fds=(3, 4),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None, timeout=30):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.time() + timeout
        while time.time() < deadline:
            reply = self.read()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)
        raise TimeoutError(method)

    def read(self):
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("the browser closed its pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except Exception:
            pass
        self.process.kill()
        self.process.wait()
        subprocess.run(["rm", "-rf", self.profile])


def main():
    arguments = sys.argv[1:]
    watch = 0.0
    if arguments[0] == "--watch":
        watch, arguments = float(arguments[1]), arguments[2:]
    url, screenshot, keys = arguments[0], arguments[1], arguments[2:]
    browser = Browser()
    try:
        target = next(t for t in browser.send("Target.getTargets")["targetInfos"] if t["type"] == "page")
        session = browser.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})["sessionId"]

        def evaluate(expression):
            result = browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)
            return result["result"].get("value")

        def wait_for(expression, timeout=60):
            deadline = time.time() + timeout
            while time.time() < deadline:
                value = evaluate(expression)
                if value:
                    return value
                time.sleep(0.01)
            raise TimeoutError(expression)

        browser.send("Page.navigate", {"url": url}, session)
        playing = "(() => { const v = document.querySelector('video.shown'); " \
                  "return v && v.readyState >= 2 && v.currentTime > 0 && !v.paused && v.videoWidth > 0 ? v.src : null; })()"
        first_clip = wait_for(playing)
        box = evaluate("(() => { const r = document.querySelector('video.shown').getBoundingClientRect(); "
                       "return [Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)]; })()")
        shot = browser.send("Page.captureScreenshot", {"format": "png"}, session)
        with open(screenshot, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        progress = [evaluate("document.getElementById('progress').textContent")]
        latencies = []
        for key in keys:
            time.sleep(watch)
            start = time.time()
            state = "document.getElementById('progress').textContent + '|' + document.querySelector('video.shown').src"
            before = evaluate(state)
            code, vk = KEY_CODES.get(key, ("Digit" + key, 48 + int(key)) if key.isdigit() else (key, 0))
            text = key if len(key) == 1 else ""
            browser.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": key, "code": code, "text": text,
                                                    "windowsVirtualKeyCode": vk}, session)
            browser.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": key, "code": code,
                                                    "windowsVirtualKeyCode": vk}, session)
            # The page has moved on once its progress or clip changed.
            wait_for(state + " !== " + json.dumps(before), timeout=30)
            wait_for(playing)
            latencies.append(round(1000 * (time.time() - start), 1))
            progress.append(evaluate("document.getElementById('progress').textContent"))
        print(json.dumps({"firstClip": first_clip, "videoBox": box, "progress": progress, "latenciesMs": latencies,
                          "status": evaluate("document.getElementById('status').textContent")}))
    finally:
        browser.close()


if __name__ == "__main__":
    main()
