// RoleBook's small progressive enhancements; every page works without them.
document.addEventListener('submit', function (event) {
  var form = event.target;
  if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
