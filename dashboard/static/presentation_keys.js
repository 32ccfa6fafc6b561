// The presentation's keys, run in the page itself (not in the component's frame, whose
// navigation of the page the sandbox would refuse): → PageDown Space Enter next,
// ← PageUp previous, Home first, End last. A key (or a button) sets ?bild= and reloads the
// page there, so the address always names the slide and a reload stays on it. Listens
// also in the page's same-origin frames (the map), where a key pressed after a click lands.
(function () {
  if (window.__tryggSlideKey) return;
  const NEXT = ["ArrowRight", "PageDown", " ", "Spacebar", "Enter"];
  const PREVIOUS = ["ArrowLeft", "PageUp"];
  function shown() {
    const number = parseInt(new URLSearchParams(window.location.search).get("bild"), 10);
    return isNaN(number) ? 1 : number;
  }
  function total() {
    return (window.__tryggSlides && window.__tryggSlides.total) || null;
  }
  function go(number) {
    if (total() === null) return;
    const target = Math.max(1, Math.min(total(), number));
    if (target === shown()) return;
    const url = new URL(window.location.href);
    url.searchParams.set("bild", String(target));
    window.location.assign(url.toString());
  }
  function onKey(event) {
    if (!window.location.pathname.replace(/\/$/, "").endsWith("/presentation")) return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
    const tag = ((event.target && event.target.tagName) || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") return;
    const onControl = tag === "button" || tag === "a";
    let number;
    if (NEXT.includes(event.key)) {
      if (onControl && (event.key === "Enter" || event.key === " ")) return;
      number = shown() + 1;
    } else if (PREVIOUS.includes(event.key)) {
      number = shown() - 1;
    } else if (event.key === "Home") {
      number = 1;
    } else if (event.key === "End") {
      number = total();
    } else {
      return;
    }
    event.preventDefault();
    go(number);
  }
  function listenInFrames() {
    for (const frame of document.querySelectorAll("iframe")) {
      try {
        frame.contentWindow.addEventListener("keydown", onKey, true);
      } catch (error) {
        // a frame of another origin keeps its keys
      }
    }
  }
  // Föregående and Nästa step the same way, with a reload, once this script runs (the
  // buttons' own rerun, which redraws the map in place, is the fallback before that).
  function onClick(event) {
    const button = event.target && event.target.closest && event.target.closest(
      ".st-key-slide_previous button, .st-key-slide_next button");
    if (!button || button.disabled || total() === null) return;
    event.preventDefault();
    event.stopPropagation();
    go(shown() + (button.closest(".st-key-slide_next") ? 1 : -1));
  }
  window.__tryggSlideKey = onKey;
  window.addEventListener("keydown", onKey, true);
  window.addEventListener("click", onClick, true);
  window.setInterval(listenInFrames, 1000);
  listenInFrames();
})();
