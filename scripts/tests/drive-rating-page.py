#!/usr/bin/env python3
"""Drives the rating page in headless Chromium (Debian's) over the DevTools
protocol on a pipe: opens URL, waits for the clip to play, takes a screenshot,
presses KEYS one by one (each after the page has loaded the next segment),
and prints what it saw as JSON, with the time from each key press to the
next clip playing. Used by the CLI tests of `ratingrl rate`.

usage: drive-rating-page.py [--watch SECONDS] [--phone] [--no-clip-first] URL SCREENSHOT.png ACTION [ACTION ...]
An ACTION is a key (2, Backspace, s), tap:SELECTOR (a finger's tap on an
element), type:SELECTOR:TEXT (typing into a field) or shot:FILE.png.
(--watch: how long the clip plays before each key, as a person watches it;
--phone: a 390 x 844 touch screen; --no-clip-first: the first screenshot
before any clip plays, e.g. before a rater name is entered)
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
    watch, window, phone, wait_first = 0.0, (900, 760), False, True
    while arguments[0].startswith("--"):
        option = arguments.pop(0)
        if option == "--watch":
            watch = float(arguments.pop(0))
        elif option == "--phone":  # a phone's screen: 390 x 844 CSS pixels, touch, no mouse or keys needed
            window, phone = (390, 844), True
        elif option == "--no-clip-first":  # the first screenshot before any clip plays (no rater yet)
            wait_first = False
    url, screenshot, actions = arguments[0], arguments[1], arguments[2:]
    browser = Browser()
    try:
        target = next(t for t in browser.send("Target.getTargets")["targetInfos"] if t["type"] == "page")
        session = browser.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})["sessionId"]
        browser.send("Emulation.setDeviceMetricsOverride", {"width": window[0], "height": window[1], "deviceScaleFactor": 1,
                                                            "mobile": phone}, session)
        if phone:
            browser.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1}, session)

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

        def shoot(path):
            shot = browser.send("Page.captureScreenshot", {"format": "png"}, session)
            with open(path, "wb") as f:
                f.write(base64.b64decode(shot["data"]))

        def layout():
            # Where things are, in CSS pixels: whether anything sticks out of the window.
            return evaluate("""(() => {
              const box = (e) => { const r = e.getBoundingClientRect(); return [Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)]; };
              const shown = (e) => getComputedStyle(e).display !== 'none' && e.getBoundingClientRect().width > 0;
              return { innerWidth: innerWidth, scrollWidth: document.documentElement.scrollWidth,
                       viewport: (document.querySelector('meta[name=viewport]') || {}).content || null,
                       video: shown(document.querySelector('video.shown')) ? box(document.querySelector('video.shown')) : null,
                       buttons: Array.from(document.querySelectorAll('button')).filter(shown).map((b) => ({ text: b.innerText.replace(/\\s+/g, ' '), box: box(b) })),
                       instructions: document.getElementById('instructions').textContent,
                       start: shown(document.getElementById('start')) ? document.getElementById('start').textContent.trim() : null,
                       keys: shown(document.getElementById('keys')) ? document.getElementById('keys').textContent.replace(/\\s+/g, ' ').trim() : null };
            })()""")

        browser.send("Page.navigate", {"url": url}, session)
        playing = "(() => { const v = document.querySelector('video.shown'); " \
                  "return v && v.readyState >= 2 && v.currentTime > 0 && !v.paused && v.videoWidth > 0 ? v.src : null; })()"
        first_clip = wait_for(playing) if wait_first else wait_for("document.getElementById('instructions').textContent")
        box = evaluate("(() => { const r = document.querySelector('video.shown').getBoundingClientRect(); "
                       "return [Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)]; })()")
        first_layout = layout()
        shoot(screenshot)
        progress = [evaluate("document.getElementById('progress').textContent")]
        latencies = []
        state = "document.getElementById('progress').textContent + '|' + document.querySelector('video.shown').src"
        for action in actions:
            if action.startswith("type:"):  # type:SELECTOR:TEXT, as a person types into a field
                _, selector, text = action.split(":", 2)
                evaluate("document.querySelector(%s).focus()" % json.dumps(selector))
                browser.send("Input.insertText", {"text": text}, session)
                continue
            if action.startswith("shot:"):
                shoot(action[5:])
                continue
            time.sleep(watch)
            start = time.time()
            before = evaluate(state)
            if action.startswith("tap:"):  # tap:SELECTOR, a finger's tap at the element's centre
                x, y = evaluate("(() => { const r = document.querySelector(%s).getBoundingClientRect(); "
                                "return [r.x + r.width / 2, r.y + r.height / 2]; })()" % json.dumps(action[4:]))
                browser.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]}, session)
                browser.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []}, session)
            else:
                key = action
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
                          "status": evaluate("document.getElementById('status').textContent"),
                          "firstLayout": first_layout, "layout": layout()}))
    finally:
        browser.close()


if __name__ == "__main__":
    main()
