/// The rating page: one looping clip, the scale, progress and keys. It talks
/// only to the JSON API (see `RatingServer`), carrying the page address's
/// `?token=` when there is one.
enum RatingPageHTML {
    static let page = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>RatingRL: rate segments</title>
    <style>
      body { font-family: "DejaVu Sans", sans-serif; background: #1d2330; color: #e8e8e8; margin: 0; padding: 0 8px;
             display: flex; flex-direction: column; align-items: center; }
      header { margin: 14px 0 4px; font-size: 20px; text-align: center; }
      #instructions { max-width: 480px; margin: 4px 0; color: #c8d0e0; font-size: 15px; line-height: 1.35; text-align: center; }
      #who { margin: 6px; color: #c8c8c8; display: flex; flex-wrap: wrap; gap: 6px; align-items: center; justify-content: center; }
      #who input { font-size: 16px; padding: 4px 6px; width: 12em; max-width: 60vw; }
      #who button { font-size: 16px; padding: 4px 12px; }
      #start { max-width: 480px; margin: 10px 0; padding: 14px; border: 1px dashed #56709c; border-radius: 6px;
               text-align: center; font-size: 16px; }
      video.clip { width: 100%; max-width: 480px; aspect-ratio: 4 / 3; height: auto; background: #000; border-radius: 6px;
                   margin-top: 8px; }
      #scale { margin: 12px 0; display: flex; flex-wrap: wrap; justify-content: center; gap: 8px; max-width: 640px; }
      #scale button { font-size: 16px; padding: 10px 12px; border-radius: 6px; border: 0; background: #3b4a66;
                      color: #fff; cursor: pointer; min-width: 6.5em; flex: 1 1 6.5em; max-width: 10em; }
      #scale button:hover { background: #56709c; }
      #scale b { display: block; font-size: 22px; }
      #actions { display: flex; gap: 10px; margin-bottom: 8px; }
      #actions button { font-size: 15px; padding: 8px 16px; border-radius: 6px; border: 1px solid #56709c; background: #2d3648;
                        color: #e8e8e8; cursor: pointer; }
      #keys { color: #a8b0c0; font-size: 14px; text-align: center; }
      kbd { background: #2d3648; border-radius: 3px; padding: 1px 5px; border: 1px solid #4a556d; }
      #status { margin: 10px; min-height: 1.4em; color: #f0c674; text-align: center; }
      @media (max-width: 520px) { #scale button { flex-basis: 40%; max-width: none; } }
      .waiting video.clip, .waiting #scale, .waiting #actions, .waiting #keys { display: none !important; }
      .rating #start { display: none; }
    </style>
    </head>
    <body class="waiting">
    <header>How good is what the agent does in this clip?</header>
    <div id="instructions"></div>
    <div id="who">Rater <input id="rater" placeholder="your name" autocomplete="name" maxlength="64">
      <button id="go">Start</button><span id="progress"></span></div>
    <div id="start">Enter your name and press Start: clips of the agent appear here, one at a time, and you rate each one
      with the buttons below it.</div>
    <video class="clip shown" loop muted playsinline preload="auto"></video>
    <video class="clip" loop muted playsinline preload="auto" style="display: none"></video>
    <div id="scale"></div>
    <div id="actions"><button id="undo">Undo last rating</button><button id="skip">Skip this clip</button></div>
    <div id="keys">Keys: <kbd>0</kbd>&hellip;<kbd id="lastkey"></kbd> rate &middot; <kbd>space</kbd> replay &middot;
      <kbd>Backspace</kbd> undo &middot; <kbd>s</kbd> skip</div>
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
    async function describeTask() {
      const response = await api("/api/task");
      const task = await response.json();
      if (!response.ok) { say(task.error); return; }
      document.getElementById("instructions").textContent = task.instructions;
      drawScale(task.names);
    }
    async function load(after) {
      const name = rater.value.trim();
      if (!name) {
        document.body.className = "waiting";
        say("Enter your name to start.");
        rater.focus();
        return;
      }
      document.body.className = "rating";
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
      const query = new URLSearchParams({ rater: rater.value.trim() });
      const response = await api("/api/ratings/" + id + "?" + query, { method: "DELETE" });
      if (!response.ok) { say((await response.json()).error); return; }
      await load();
    }
    document.addEventListener("keydown", (event) => {
      if (event.target === rater) { if (event.key === "Enter") { rater.blur(); load(); } return; }
      if (/^[0-9]$/.test(event.key) && Number(event.key) < classes) rate(Number(event.key));
      else if (event.key === " ") { const player = shownPlayer(); player.currentTime = 0; player.play(); event.preventDefault(); }
      else if (event.key === "Backspace") { undo(); event.preventDefault(); }
      else if (event.key === "s") load(current);
    });
    document.getElementById("undo").onclick = () => undo();
    document.getElementById("skip").onclick = () => load(current);
    document.getElementById("go").onclick = () => { localStorage.setItem("ratingrl-rater", rater.value.trim()); load(); };
    rater.value = params.get("rater") || localStorage.getItem("ratingrl-rater") || "";
    rater.addEventListener("change", () => { localStorage.setItem("ratingrl-rater", rater.value.trim()); load(); });
    describeTask();
    load();
    </script>
    </body>
    </html>
    """#
}
