# Where the time goes: one exit kind's round trip through KVM split into its
# segments (kvm-probe --breakdown, taken under tracing), beside the native
# round trip, at the median (left panel) and at p99 (right panel), each panel
# on its own linear cycle axis from 0.
# A KVM bar is the traced trips' median (p99) cut by each segment's share of
# the trips there (docs/analysis.md, "Where the time goes"); the native bar is
# the native median (p99); a dashed line marks KVM's untraced median.
# Variables (besides style.gp's):
#   data   a stack-N.dat of exitlat-analyze --gnuplot (docs/analysis-outputs.md):
#          block 0 the figure (stamp, layers, bars, medians, tracing cost),
#          block 1 one row per layer: i title title_tex lt pattern,
#          block 2 one row per box: panel x ylo yhi layer
# Strings come through strcol(), which decodes the file's octal escapes.
if (!exists("plotdir")) plotdir = 'plots'
set datafile separator "\t"
# (numbers through strcol: a NaN field would make stats drop the row)
stats data index 0 using (kind = strcol(2), kind_tex = strcol(3), emulated = strcol(4) + 0, \
	emu_name = strcol(5), emu_name_tex = strcol(6), nl = int(strcol(8) + 0), \
	nbars = int(strcol(9) + 0), traced = strcol(10) + 0, \
	has_untraced = (strcol(11) ne 'NaN'), untraced = strcol(11) + 0, \
	cost_pct = strcol(12) + 0, trips = strcol(13) + 0, tail_trips = strcol(14) + 0, \
	tex_extra = strcol(16) + 0, 0) nooutput
array TITLE[nl]
array TITLE_TEX[nl]
array LT[nl]
array PAT[nl]
stats data index 1 using (j_ = int(strcol(1) + 0), TITLE[j_] = strcol(2), \
	TITLE_TEX[j_] = strcol(3), LT[j_] = int(strcol(4) + 0), PAT[j_] = int(strcol(5) + 0), \
	0) nooutput
# Each panel's height, for about four labelled tics.
stats data index 2 using ($1 == 1 ? $4 : NaN) nooutput
ymax1 = STATS_max
stats data index 2 using ($1 == 2 ? $4 : NaN) nooutput
ymax2 = STATS_max
# No nanosecond axis: two panels of their own scales (the report gives ns).
tsc_khz = 0
load plotdir.'/style.gp'
set datafile separator "\t"
pct = is_tex ? '\%' : '%'
num(x) = sprintf('%.10g', x)

# Two lines above the panels: the kind, always "under tracing", and what
# tracing cost (untraced vs traced median, the same invocation).
head1 = sprintf('%s: KVM split under tracing', is_tex ? kind_tex : kind)
head2 = has_untraced ? \
	sprintf('median untraced %s, traced %s (%+.1f%s)', num(untraced), num(traced), cost_pct, pct) : \
	sprintf('median traced %s (no untraced run)', num(traced))

# The layout in cm: text lines above (stamp, headings, panel titles), the tics
# and the key below (two entries a row); the figure grows rather than squeeze
# the panels under 3 cm.
lh = 0.42
key_rows = int((nl + has_untraced + 1) / 2)
top_cm = (emulated + 3) * lh + 0.1
bottom_cm = 0.55 + key_rows * lh
if (top_cm + bottom_cm + 3 > h_cm) h_cm = top_cm + bottom_cm + 3
sy(cm) = cm / h_cm
set label 903 head1 at screen 0.5, screen 1 - sy((emulated + 0.6) * lh) center front
set label 904 head2 at screen 0.5, screen 1 - sy((emulated + 1.6) * lh) center front
if (emulated) set label 902 font sprintf('%s,%g', font_name, font_pt * 2)
ylabel = emulated ? 'emulated TSC cycles' : cyc_label
# Across: the y label, each panel's tick labels (about 0.17 cm a digit at 8 pt),
# then two panels of one width.
digits(y) = strlen(sprintf('%.0f', y * 1.06))
l1_cm = 0.85 + digits(ymax1) * 0.17
gap_cm = 0.35 + digits(ymax2) * 0.17
pw_cm = (w_cm - 0.15 - l1_cm - gap_cm) / 2
sx(cm) = cm / w_cm

set style fill pattern 0 border lc rgb '#000000'
set xrange [0.4:nbars + 0.6]
set format y '%.0f'
set grid noxtics ytics
set border 3 back lw 0.8
if (nbars > 1) { set xtics ('native' 1, 'KVM' 2) scale 0 } else { set xtics ('KVM' 1) scale 0 }
bw = 0.32
box(p, j) = ($1 == p && $5 == j) ? $2 : NaN
ltitle(j) = is_tex ? TITLE_TEX[j] : TITLE[j]

eval set_term
set multiplot
set bmargin at screen sy(bottom_cm)
set tmargin at screen 1 - sy(top_cm)
unset key

# Left: the median.
set lmargin at screen sx(l1_cm)
set rmargin at screen sx(l1_cm + pw_cm)
set ylabel ylabel
set title 'median' offset 0, -0.6
set yrange [0:ymax1 * 1.06]
set ytics nice(ymax1 / 4.0)
if (has_untraced) set arrow 1 from nbars - 0.45, untraced to nbars + 0.45, untraced nohead \
	dt (4,3) lw 1.5 lc rgb '#000000' front
plot for [j=1:nl] data index 2 using (box(1, j)):(($3 + $4) / 2):(bw):(($4 - $3) / 2) \
	with boxxyerror fs pattern PAT[j] border lc rgb '#000000' lt LT[j] notitle

# Right: p99, on its own scale. The stamp and headings are drawn once.
unset label 901
unset label 903
unset label 904
unset arrow 1
unset ylabel
set lmargin at screen sx(l1_cm + pw_cm + gap_cm)
set rmargin at screen sx(l1_cm + 2 * pw_cm + gap_cm)
set title 'p99' offset 0, -0.6
set yrange [0:ymax2 * 1.06]
set ytics nice(ymax2 / 4.0)
plot for [j=1:nl] data index 2 using (box(2, j)):(($3 + $4) / 2):(bw):(($4 - $3) / 2) \
	with boxxyerror fs pattern PAT[j] border lc rgb '#000000' lt LT[j] notitle

# The key, across the whole width below both panels (a panel's key would
# be as narrow as its panel): an empty plot of every layer's style.
unset label 902
unset title
unset border
unset tics
unset grid
set lmargin at screen 0.02
set rmargin at screen 0.98
set bmargin at screen 0.0
set tmargin at screen sy(key_rows * lh + 0.1)
set xrange [0:1]
set yrange [0:1]
set key center center horizontal maxrows 2 samplen 1.5 spacing 0.9 width -1
if (is_tex) set key width -1 - tex_extra
plot for [j=1:nl] NaN with boxxyerror fs pattern PAT[j] border lc rgb '#000000' lt LT[j] \
	title ltitle(j), \
     (has_untraced ? NaN : 1 / 0) with lines dt (4,3) lw 1.5 lc rgb '#000000' \
	title (has_untraced ? 'untraced median' : '')
unset multiplot
