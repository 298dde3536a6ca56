# Loaded by trend.gp and trend-fleet.gp only when plots/style.gp is missing: the
# few settings of the shared style those figures rely on (fmt, out, emulated,
# set_term, cyc_label, the EMULATED stamp, linetypes 1, 2, 3, 4, 7).
if (!exists("fmt")) fmt = 'pdf'
if (!exists("out")) out = 'figure.'.fmt
if (!exists("emulated")) emulated = 0
if (!exists("emu_name")) emu_name = ''
is_tex = 0
if (!exists("w_cm")) w_cm = 8.5
if (!exists("h_cm")) h_cm = 6.0
set_term = (fmt eq 'png') ? \
	"set terminal pngcairo size int(w_cm / 2.54 * 200), int(h_cm / 2.54 * 200) font 'DejaVu Sans,8' fontscale 2.08; set output out" : \
	"set terminal pdfcairo size w_cm cm, h_cm cm font 'DejaVu Sans,8' fontscale 0.75; set output out"
cyc_label = emulated ? 'path length (emulated TSC cycles)' : 'cycles (TSC)'
set linetype 1 lc rgb '#0072B2' lw 1.5 dt 1 pt 7 ps 0.6
set linetype 2 lc rgb '#D55E00' lw 1.5 dt (6,3) pt 5 ps 0.6
set linetype 3 lc rgb '#009E73' lw 1.5 dt (2,2) pt 9 ps 0.7
set linetype 4 lc rgb '#CC79A7' lw 1.5 dt (8,3,2,3) pt 13 ps 0.7
set linetype 7 lc rgb '#000000' lw 1.5 dt (1,2) pt 4 ps 0.6
set border 3 back lw 0.8
set tics nomirror out scale 0.6
set grid back lc rgb '#d9d9d9' lw 0.5
# (wide: LaTeX labels are long as plain text, and the dry run must fit them)
set terminal dumb size 240,80
set output '/dev/null'
if (emulated) \
	set label 901 sprintf(strlen(emu_name) > 10 ? 'EMULATED (%s)' : \
		'EMULATED (%s): path length, not hardware time', emu_name) \
		at screen 0.5, screen 0.985 center front tc rgb '#C00000'; \
	set tmargin 2.4
