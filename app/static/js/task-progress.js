// The page of a background task: polls its JSON status and moves the progress bar; shows the
// download button when the file is ready. Without JavaScript the page has a refresh link.
(function () {
  var box = document.querySelector('[data-task-status-url]');
  if (!box || box.dataset.taskFinished === '1') { return; }
  var part = function (name) { return box.querySelector('[data-task="' + name + '"]'); };
  var refresh = part('refresh');
  refresh.classList.add('d-none');

  function show(task) {
    var bar = part('bar');
    bar.style.width = task.percent + '%';
    bar.textContent = task.percent + '%';
    bar.parentNode.setAttribute('aria-valuenow', task.percent);
    part('status').textContent = task.status_label;
    part('count').textContent = task.total ? task.done + ' / ' + task.total : '';
    part('step').textContent = task.step || '';
    if (task.status !== 'done' && task.status !== 'failed') { return false; }
    bar.classList.remove('progress-bar-striped', 'progress-bar-animated');
    if (task.status === 'done') {
      bar.classList.add('bg-success');
      part('download').classList.remove('d-none');
    } else {
      bar.classList.add('bg-danger');
      part('error').textContent = task.error;
      part('error').classList.remove('d-none');
    }
    return true;
  }

  function poll() {
    fetch(box.dataset.taskStatusUrl, {headers: {'Accept': 'application/json'}, credentials: 'same-origin'})
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (task) { if (!show(task)) { window.setTimeout(poll, 1000); } })
      .catch(function () { refresh.classList.remove('d-none'); });
  }
  window.setTimeout(poll, 500);
})();
