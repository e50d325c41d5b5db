// Click a row of the indicator table: show its source crop and the correction form.
// Without JavaScript the code cell is a link that opens the same panel server-side.
document.addEventListener("DOMContentLoaded", function () {
  function toggle(tr, show) {
    var detail = document.getElementById("detail-" + tr.dataset.pos);
    if (!detail) return;
    var open = show === undefined ? detail.hidden : show;
    detail.hidden = !open;
    tr.classList.toggle("open", open);
    if (open && history.replaceState) history.replaceState(null, "", "#row-" + tr.dataset.pos);
  }
  document.querySelectorAll("table.indicators tr.row").forEach(function (tr) {
    tr.addEventListener("click", function (ev) {
      if (ev.target.closest("form, input, button")) return;
      ev.preventDefault();
      toggle(tr);
    });
  });
  // a crop that cannot be drawn says so instead of showing a broken image
  document.querySelectorAll("img.crop").forEach(function (img) {
    img.addEventListener("error", function () {
      var p = document.createElement("p");
      p.className = "hint";
      p.textContent = "Không hiển thị được vùng bản gốc (tệp gốc chưa tìm thấy).";
      img.replaceWith(p);
    });
  });
  var m = location.hash.match(/^#row-(\d+)$/);
  if (m) {
    var tr = document.getElementById("row-" + m[1]);
    if (tr) { toggle(tr, true); tr.scrollIntoView({block: "center"}); }
  }
});
