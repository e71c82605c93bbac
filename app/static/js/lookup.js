// Suggestions for position-code fields (input[data-lookup="positions"]): as the user types a
// title or a code, a datalist offers "CODE · title (department)". Comma-separated fields keep
// what was typed before the last comma. Without JavaScript the field still takes a code.
(function () {
  var url = document.body.dataset.positionLookup;
  if (!url) { return; }
  document.querySelectorAll('input[data-lookup="positions"]').forEach(function (input, index) {
    var list = document.createElement('datalist');
    list.id = 'position-suggestions-' + index;
    input.setAttribute('list', list.id);
    input.after(list);
    var timer = null;
    var many = input.name === 'dotted_superior_ids';
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var value = input.value;
        var cut = many ? Math.max(value.lastIndexOf(','), value.lastIndexOf('，')) : -1;
        var prefix = cut >= 0 ? value.slice(0, cut + 1) + ' ' : '';
        var term = value.slice(cut + 1).split('·')[0].trim();
        fetch(url + '?q=' + encodeURIComponent(term), {headers: {'Accept': 'application/json'}})
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (items) {
            list.replaceChildren.apply(list, items.map(function (item) {
              var option = document.createElement('option');
              option.value = prefix + item.code + ' · ' + item.title;
              option.label = item.department;
              return option;
            }));
          })
          .catch(function () { /* suggestions are a convenience */ });
      }, 150);
    });
  });
})();
