// Import page: upload with a progress bar, then a moving bar while the server checks every row.
// Without JavaScript the forms post normally.
(function () {
  function busy(form, text) {
    var button = form.querySelector('[type=submit]');
    if (button) {
      button.disabled = true;
      button.insertAdjacentHTML('afterbegin', '<span class="spinner-border spinner-border-sm me-1" aria-hidden="true"></span>');
    }
    var label = form.querySelector('[data-progress-label]');
    if (label) { label.textContent = text; }
  }

  document.querySelectorAll('form[data-upload]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      var input = form.querySelector('input[type=file]');
      var file = input && input.files && input.files[0];
      if (!file || !window.FormData) { return; }  // the server says what is missing
      var max = parseInt(form.dataset.maxBytes || '0', 10);
      if (max && file.size > max) {
        event.preventDefault();
        input.classList.add('is-invalid');
        var feedback = form.querySelector('.invalid-feedback[data-size]');
        if (!feedback) {
          feedback = document.createElement('div');
          feedback.className = 'invalid-feedback';
          feedback.dataset.size = '1';
          input.insertAdjacentElement('afterend', feedback);
        }
        feedback.textContent = form.dataset.tooLarge;
        return;
      }
      event.preventDefault();
      var box = form.querySelector('[data-progress]');
      var bar = box.querySelector('.progress-bar');
      box.hidden = false;
      busy(form, form.dataset.uploading);
      var request = new XMLHttpRequest();
      request.open('POST', form.action);
      request.upload.addEventListener('progress', function (e) {
        if (e.lengthComputable) {
          var percent = Math.round(100 * e.loaded / e.total);
          bar.style.width = percent + '%';
          box.querySelector('.progress').setAttribute('aria-valuenow', percent);
        }
      });
      request.upload.addEventListener('load', function () {
        bar.style.width = '100%';
        bar.classList.add('progress-bar-striped', 'progress-bar-animated');
        box.querySelector('[data-progress-label]').textContent = form.dataset.checking;
      });
      request.addEventListener('load', function () {
        if (request.responseURL && request.responseURL !== form.action) {
          window.location.assign(request.responseURL);  // the preview
        } else {  // the form again, with the problem next to the field
          document.open();
          document.write(request.responseText);
          document.close();
        }
      });
      request.addEventListener('error', function () { form.submit(); });
      request.send(new FormData(form));
    });
  });

  document.querySelectorAll('form[data-busy]').forEach(function (form) {
    form.addEventListener('submit', function () { busy(form, form.dataset.busy); });
  });
})();
