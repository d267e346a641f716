/// The rating page: one looping clip, the scale, progress and keys. It talks
/// only to the JSON API (see `RatingServer`), carrying the page address's
/// `?token=` when there is one.
enum RatingPageHTML {
    static let page = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <title>RatingRL: rate segments</title>
    <style>
      body { font-family: "DejaVu Sans", sans-serif; background: #1d2330; color: #e8e8e8; margin: 0;
             display: flex; flex-direction: column; align-items: center; }
      header { margin: 14px 0 4px; font-size: 20px; }
      #who { margin: 6px; color: #c8c8c8; }
      #who input { font-size: 15px; padding: 3px 6px; width: 12em; }
      #progress { margin-left: 1em; }
      video.clip { width: 480px; height: 360px; background: #000; border-radius: 6px; margin-top: 8px; }
      #scale { margin: 12px; display: flex; gap: 8px; }
      #scale button { font-size: 16px; padding: 10px 14px; border-radius: 6px; border: 0; background: #3b4a66;
                      color: #fff; cursor: pointer; min-width: 7em; }
      #scale button:hover { background: #56709c; }
      #scale b { display: block; font-size: 22px; }
      #keys { color: #a8b0c0; font-size: 14px; }
      kbd { background: #2d3648; border-radius: 3px; padding: 1px 5px; border: 1px solid #4a556d; }
      #status { margin: 10px; min-height: 1.4em; color: #f0c674; }
    </style>
    </head>
    <body>
    <header>How good is what the agent does in this clip?</header>
    <div id="who">Rater <input id="rater" placeholder="your name" autocomplete="name"><span id="progress"></span></div>
    <video class="clip shown" loop muted playsinline preload="auto"></video>
    <video class="clip" loop muted playsinline preload="auto" style="display: none"></video>
    <div id="scale"></div>
    <div id="keys"><kbd>0</kbd>&hellip;<kbd id="lastkey">n-1</kbd> rate &middot; <kbd>space</kbd> replay &middot;
      <kbd>Backspace</kbd> undo the last rating &middot; <kbd>s</kbd> skip</div>
    <div id="status"></div>
    <script>
    const params = new URLSearchParams(location.search);
    const token = params.get("token");
    // Two players: the shown one, and one that loads the following clip so
    // that rating swaps to an already decoded clip.
    const players = Array.from(document.querySelectorAll("video.clip"));
    const rater = document.getElementById("rater");
    const progress = document.getElementById("progress");
    const scale = document.getElementById("scale");
    let current = null, classes = 0, undoStack = [], busy = false;

    function api(path, options) {
      const url = new URL(path, location.href);
      if (token) url.searchParams.set("token", token);
      return fetch(url, options || {});
    }
    function say(text) { document.getElementById("status").textContent = text; }
    function drawScale(names) {
      if (names.length === classes) return;
      classes = names.length;
      scale.innerHTML = "";
      names.forEach((name, k) => {
        const button = document.createElement("button");
        button.innerHTML = "<b>" + k + "</b>" + name;
        button.onclick = () => rate(k);
        scale.appendChild(button);
      });
      document.getElementById("lastkey").textContent = classes - 1;
    }
    async function load(after) {
      const name = rater.value.trim();
      if (!name) { say("Enter your name to start."); rater.focus(); return; }
      const query = new URLSearchParams({ rater: name });
      if (after !== undefined && after !== null) query.set("after", after);
      const response = await api("/api/next?" + query);
      const next = await response.json();
      if (!response.ok) { say(next.error); return; }
      drawScale(next.names);
      progress.textContent = next.rated + " of " + next.total + " rated";
      if (next.segment === null) {
        current = null;
        players.forEach((player) => { player.pause(); player.removeAttribute("src"); player.load(); });
        say(next.total === 0 ? "No segments yet: waiting for a run to add some." : "Every segment is rated. Thank you! (New ones appear here as a run adds them.)");
        setTimeout(() => { if (current === null) load(); }, 3000);
        return;
      }
      current = next.segment;
      show(next.segment, next.clip);
      say("segment " + current);
      if (next.following !== null) preload(next.following, "/api/clips/" + next.following + ".webm");
    }
    function shownPlayer() { return players.find((player) => player.classList.contains("shown")); }
    function sparePlayer() { return players.find((player) => !player.classList.contains("shown")); }
    function show(segment, path) {
      let player = shownPlayer();
      const spare = sparePlayer();
      if (spare.dataset.segment === String(segment)) {
        player.pause(); player.style.display = "none"; player.classList.remove("shown");
        spare.style.display = ""; spare.classList.add("shown");
        player = spare;
      } else if (player.dataset.segment !== String(segment)) {
        player.src = withToken(path);
        player.dataset.segment = String(segment);
      }
      player.currentTime = 0;
      player.play().catch(() => {});
    }
    function preload(segment, path) {
      const spare = sparePlayer();
      if (spare.dataset.segment === String(segment)) return;
      spare.src = withToken(path);
      spare.dataset.segment = String(segment);
      spare.load();
    }
    function withToken(path) {
      const url = new URL(path, location.href);
      if (token) url.searchParams.set("token", token);
      return url.toString();
    }
    async function rate(k) {
      if (current === null || busy) return;
      busy = true;
      try {
        const response = await api("/api/ratings", { method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ segment: current, rating: k, rater: rater.value.trim() }) });
        const body = await response.json();
        if (response.status !== 201) { say(body.error); return; }
        undoStack.push(body.id);
        await load();
      } finally { busy = false; }
    }
    async function undo() {
      const id = undoStack.pop();
      if (id === undefined) { say("nothing to undo"); return; }
      await api("/api/ratings/" + id, { method: "DELETE" });
      await load();
    }
    document.addEventListener("keydown", (event) => {
      if (event.target === rater) { if (event.key === "Enter") { rater.blur(); load(); } return; }
      if (/^[0-9]$/.test(event.key) && Number(event.key) < classes) rate(Number(event.key));
      else if (event.key === " ") { const player = shownPlayer(); player.currentTime = 0; player.play(); event.preventDefault(); }
      else if (event.key === "Backspace") { undo(); event.preventDefault(); }
      else if (event.key === "s") load(current);
    });
    rater.value = params.get("rater") || localStorage.getItem("ratingrl-rater") || "";
    rater.addEventListener("change", () => { localStorage.setItem("ratingrl-rater", rater.value.trim()); load(); });
    load();
    </script>
    </body>
    </html>
    """#
}
