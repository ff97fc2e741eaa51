// The workspace's only script; every page works without it. It adds drag and drop to the upload box and keeps
// a running audit's progress bar moving, reloading the page when the audit ends.
"use strict";

function dropZone() {
  const zone = document.getElementById("drop");
  const input = document.getElementById("files");
  const list = document.getElementById("chosen");
  if (!zone || !input) return;
  const show = () => {
    list.textContent = "";
    for (const file of input.files) {
      const item = document.createElement("li");
      item.textContent = file.name;
      list.appendChild(item);
    }
  };
  input.addEventListener("change", show);
  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    input.files = event.dataTransfer.files;
    show();
  });
}

function progress() {
  const job = document.getElementById("job");
  if (!job) return;
  const bar = job.querySelector("[role=progressbar]");
  const fill = bar.querySelector(".fill");
  const stage = document.getElementById("stage");
  const poll = async () => {
    try {
      const answer = await fetch(job.dataset.statusUrl, { credentials: "same-origin" });
      if (!answer.ok) return;
      const status = await answer.json();
      const percent = Math.round(status.progress * 100);
      bar.setAttribute("aria-valuenow", String(percent));
      fill.style.width = percent + "%";
      if (status.stage) stage.textContent = status.stage;
      if (status.status === "done" || status.status === "failed") {
        window.location.reload();
        return;
      }
    } catch (error) {
      // the server is restarting: try again at the next tick
    }
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 500);
}

document.addEventListener("DOMContentLoaded", () => { dropZone(); progress(); });
