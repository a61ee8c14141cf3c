// Remember the browser's time zone so the server shows times (and reads the booking form) in it.
// On a first visit the page was drawn in the site's zone: show it again once, in the learner's.
(function () {
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone || !/^[A-Za-z0-9_+\-\/]+$/.test(zone)) return;
  var hadCookie = /(^|; )tz=/.test(document.cookie);
  document.cookie = "tz=" + zone + "; path=/; max-age=31536000; samesite=lax";
  var page = document.documentElement.dataset;
  if (!hadCookie && /(^|; )tz=/.test(document.cookie) && page.reloadable && page.timeZone !== zone) {
    location.reload();
  }
})();

// Booking form: an individual class has one seat, so the seats box only matters for groups.
document.addEventListener("DOMContentLoaded", function () {
  var seats = document.getElementById("id_max_participants");
  if (!seats) return;
  var radios = document.querySelectorAll("input[name=class_type]");
  function sync() {
    var checked = document.querySelector("input[name=class_type]:checked");
    var individual = checked && checked.value === "individual";
    if (individual && !seats.disabled) {
      seats.dataset.groupSeats = seats.value;
      seats.value = 1;
    } else if (!individual && seats.disabled) {
      seats.value = seats.dataset.groupSeats || "";
    }
    seats.disabled = individual;
  }
  radios.forEach(function (radio) { radio.addEventListener("change", sync); });
  sync();
});
