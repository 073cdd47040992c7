" c7gen model files: comments, and gq formatting through c7gen fmt.
if exists("b:did_ftplugin")
  finish
endif
let b:did_ftplugin = 1

setlocal commentstring=--\ %s
setlocal comments=:--,s1:/*,mb:*,ex:*/
setlocal shiftwidth=2 softtabstop=2 expandtab
" gggqG formats the whole file; c7gen fmt - leaves it alone on errors.
setlocal formatprg=c7gen\ fmt\ -

let b:undo_ftplugin = "setlocal commentstring< comments< shiftwidth< softtabstop< expandtab< formatprg<"
