;;; shippi.el --- Shippi security diagnostics through eglot  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1") (eglot "1.9"))
;; Keywords: tools, languages
;; URL: https://github.com/shippi-dev/shippi

;;; Commentary:

;; Registers the Shippi language server (`shippi lsp --stdio') with eglot: Emacs 28 with the eglot
;; package (Debian: elpa-eglot) or Emacs 29+ with its built-in eglot.
;;
;;   (require 'shippi)
;;   (shippi-eglot-register)          ; then M-x eglot, or add `eglot-ensure' to the modes' hooks
;;
;; eglot runs one server per major mode and project, so registering Shippi for a mode replaces any
;; other server registered for it.  To run Shippi next to another server, use lsp-mode (see README.md).

;;; Code:

(require 'eglot)
(require 'cl-lib)

(defgroup shippi nil
  "Shippi security language server."
  :group 'tools
  :prefix "shippi-")

(defcustom shippi-command '("shippi" "lsp" "--stdio")
  "Command (program and arguments) that starts the Shippi language server."
  :type '(repeat string))

(defcustom shippi-major-modes
  '(js-mode js-ts-mode js2-mode rjsx-mode typescript-mode typescript-ts-mode tsx-ts-mode
    python-mode python-ts-mode sh-mode bash-ts-mode go-mode go-ts-mode java-mode java-ts-mode
    ruby-mode ruby-ts-mode php-mode rust-mode rust-ts-mode c-mode c++-mode csharp-mode
    yaml-mode yaml-ts-mode json-mode json-ts-mode js-json-mode dockerfile-mode dockerfile-ts-mode
    terraform-mode markdown-mode gfm-mode conf-mode conf-unix-mode toml-ts-mode sql-mode lua-mode
    html-mode mhtml-mode web-mode)
  "Major modes whose buffers Shippi analyses."
  :type '(repeat symbol))

(defcustom shippi-initialization-options nil
  "Settings sent as initializationOptions: a plist with .shippi.json's keys.
For example (:rules (:unicode.bidi-control \"off\")) or (:debounceMs 300)."
  :type 'plist)

(defclass shippi-eglot-server (eglot-lsp-server) ()
  "The Shippi language server, as eglot sees it.")

(cl-defmethod eglot-initialization-options ((_server shippi-eglot-server))
  "Send `shippi-initialization-options' (an empty object when unset)."
  (or shippi-initialization-options (make-hash-table)))

;;;###autoload
(defun shippi-eglot-register ()
  "Register the Shippi server with eglot for `shippi-major-modes'."
  (interactive)
  (add-to-list 'eglot-server-programs
               (cons shippi-major-modes (cons 'shippi-eglot-server shippi-command))))

(defun shippi--server ()
  "The Shippi server managing the current buffer."
  (let ((server (eglot-current-server)))
    (unless (and server (cl-typep server 'shippi-eglot-server))
      (user-error "Shippi is not managing this buffer (M-x eglot first)"))
    server))

;;;###autoload
(defun shippi-scan-workspace ()
  "Scan the whole project.
Findings in files that are not open show in `flymake-show-project-diagnostics'."
  (interactive)
  (eglot-execute-command (shippi--server) "shippi.scanWorkspace" []))

;;;###autoload
(defun shippi-clear-results ()
  "Clear every Shippi diagnostic until the next edit."
  (interactive)
  (eglot-execute-command (shippi--server) "shippi.clearResults" []))

;;;###autoload
(defun shippi-rule-docs (rule-id)
  "Show the documentation of RULE-ID (e.g. unicode.bidi-control)."
  (interactive "sShippi rule id: ")
  (let ((result (jsonrpc-request (shippi--server) :workspace/executeCommand
                                 `(:command "shippi.showRuleDocs" :arguments [(:ruleId ,rule-id)]))))
    (with-help-window "*shippi rule*"
      (princ (plist-get result :markdown)))))

(provide 'shippi)
;;; shippi.el ends here
