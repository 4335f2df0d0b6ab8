"""What a browser shows of each static alpha slider (relu_notes.plotting.slider) on a page.

One reader for every check that drives a slider: the site's browser test and the Colab render
check. Frame groups have the ids ``<kind>-alpha-<index>-<part>``.
"""

import re

CALL = re.compile(r"\balpha_slider\(")
"""A chapter whose code calls ``alpha_slider(`` must show a slider."""

STATE_JS = """() => [...document.querySelectorAll('figure.relu-slider')].map(f => {
  const index = g => g.id.split('-alpha-')[1].split('-')[0];
  const groups = [...f.querySelectorAll("g[id*='-alpha-']")];
  const shown = groups.filter(g => getComputedStyle(g).display !== 'none');
  const output = f.querySelector('output');
  return {
    input: !!f.querySelector('input[type=range]'),
    readout: output ? output.textContent : '',
    frames: new Set(groups.map(index)).size,
    shown: [...new Set(shown.map(index))],
    path: shown.length ? shown[0].querySelector('path').getAttribute('d') : null,
  };
})"""
"""``page.evaluate(STATE_JS)`` -> one dict per slider, in page order: ``input`` (its script
built the range input), ``readout`` (the alpha shown), ``frames`` (how many), ``shown`` (the
indices of the frames drawn), ``path`` (the drawn function's SVG path data)."""
