# Loaded by trend.gp and trend-fleet.gp only when plots/style.gp is missing: the
# few settings of the shared style those figures rely on (fmt, out, emulated,
# set_term, cyc_label, the EMULATED stamp, linetypes 1, 2, 4, 7).
if (!exists("fmt")) fmt = 'pdf'
if (!exists("out")) out = 'figure.'.fmt
if (!exists("emulated")) emulated = ''
is_tex = 0
set_term = (fmt eq 'png') ? \
	"set terminal pngcairo size 670, 472 font 'DejaVu Sans,8' fontscale 2.08; set output out" : \
	"set terminal pdfcairo size 8.5 cm, 6 cm font 'DejaVu Sans,8' fontscale 0.75; set output out"
cyc_label = (emulated ne '') ? 'path length (emulated TSC cycles)' : 'cycles (TSC)'
set linetype 1 lc rgb '#0072B2' lw 1.5 dt 1 pt 7 ps 0.6
set linetype 2 lc rgb '#D55E00' lw 1.5 dt (6,3) pt 5 ps 0.6
set linetype 4 lc rgb '#CC79A7' lw 1.5 dt (8,3,2,3) pt 13 ps 0.7
set linetype 7 lc rgb '#000000' lw 1.5 dt (1,2) pt 4 ps 0.6
set border 3 back lw 0.8
set tics nomirror out scale 0.6
set grid back lc rgb '#d9d9d9' lw 0.5
set terminal dumb size 80,25
set output '/dev/null'
if (emulated ne '') \
	set label 901 sprintf('EMULATED (%s): path length, not hardware time', emulated) \
		at screen 0.5, screen 0.985 center front tc rgb '#C00000'; \
	set tmargin 2.4
