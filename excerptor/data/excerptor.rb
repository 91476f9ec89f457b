# frozen_string_literal: true
#
# excerptor for Jekyll: Japanese-aware excerpts and reading times, computed at build time.
#
# Installed by `excerptor jekyll install [SITE]` (do not edit: re-run it after upgrading excerptor).
# After every post is read, it runs `excerptor jsonl` ONCE for the whole site: the first line is the
# site's whole config (so every setting of excerptor's `excerptor:` section, and Jekyll's own
# `excerpt_separator`, reach it with no change here), then one line per post with its path.
# excerptor processes each post file exactly as `excerptor rewrite` would (same settings, same
# keep_existing rule, same per-post `excerptor:` front matter) and answers the value of each
# field it manages; the plugin sets them on the post:
#
#   post.data[excerpt_field]      an HTML-escaped plain-text excerpt (what {{ post.excerpt }},
#                                 jekyll-seo-tag's description and jekyll-feed's <summary> show)
#   post.data[reading_time_field] whole minutes (an Integer)
#
# Keys of `excerptor:` read here (the rest is excerptor's, see its README):
#
#   excerptor:
#     enabled: true
#     command: [excerptor, jsonl]     # an argv array, or a string split with Shellwords;
#                                     # never run through a shell. Env EXCERPTOR_COMMAND wins.
#     collections: [posts]
#
# If the command is missing or fails, or a post fails, the build stops with a FatalException.

require "cgi"
require "json"
require "open3"
require "shellwords"

module Excerptor
  module Jekyll
    DEFAULT_COMMAND = %w(excerptor jsonl).freeze

    class Settings
      attr_reader :config

      def initialize(site_config)
        raw = site_config["excerptor"]
        raw = {} if raw.nil?
        fail!("`excerptor:` in _config.yml must be a mapping") unless raw.is_a?(Hash)
        @config = raw
      end

      def enabled?
        config.fetch("enabled", true) != false
      end

      def collections
        Array(config.fetch("collections", ["posts"])).map(&:to_s)
      end

      def argv
        from_env = ENV["EXCERPTOR_COMMAND"]
        command = from_env && !from_env.strip.empty? ? from_env : config.fetch("command", DEFAULT_COMMAND)
        argv = command.is_a?(Array) ? command.map(&:to_s) : Shellwords.split(command.to_s)
        fail!("excerptor.command is empty") if argv.empty?
        argv
      rescue ArgumentError, TypeError => e
        fail!("bad setting under `excerptor:` in _config.yml: #{e.message}")
      end

      def fail!(message)
        raise ::Jekyll::Errors::FatalException, "excerptor: #{message}"
      end
    end

    module_function

    def run(site)
      settings = Settings.new(site.config)
      return unless settings.enabled?

      docs = settings.collections.flat_map do |label|
        collection = site.collections[label]
        collection ? collection.docs : []
      end
      return if docs.empty?

      argv = settings.argv
      input = begin
        head = JSON.generate({ "config" => site.config, "root" => site.source, "kind" => "jekyll" })
        lines = docs.each_with_index.map { |doc, i| JSON.generate({ "id" => i, "path" => doc.path }) }
        ([head] + lines).join("\n") << "\n"
      rescue JSON::GeneratorError, EncodingError => e
        settings.fail!("cannot send posts to `#{argv.shelljoin}`: #{e.message[0, 200]}")
      end
      started = Time.now
      answers = call(argv, input, settings, { "PYTHONIOENCODING" => "utf-8" })
      if answers.size != docs.size
        settings.fail!("`#{argv.shelljoin}` answered #{answers.size} lines for #{docs.size} posts")
      end

      failures = []
      docs.each_with_index.zip(answers).each do |(doc, i), answer|
        unless answer.is_a?(Hash) && answer["id"] == i
          settings.fail!("`#{argv.shelljoin}` answered out of order at #{doc.relative_path}")
        end
        if answer.key?("error")
          failures << "#{doc.relative_path}: #{answer['error']}"
          next
        end
        fields = answer["fields"]
        unless fields.is_a?(Hash)
          failures << "#{doc.relative_path}: no fields in the answer"
          next
        end
        kept = Array(answer["kept"])  # values of the front matter, already in doc.data
        fields.each do |name, value|
          next if kept.include?(name)

          doc.data[name] = value.is_a?(String) ? CGI.escapeHTML(value) : value
        end
      end
      unless failures.empty?
        shown = failures.first(10).join("; ")
        more = failures.size > 10 ? "; … and #{failures.size - 10} more" : ""
        settings.fail!("#{failures.size} post(s) failed: #{shown}#{more}")
      end
      ::Jekyll.logger.info "Excerptor:", format("%d posts in %.2f s", docs.size, Time.now - started)
    end

    def call(argv, input, settings, env)
      # [argv0, argv0] keeps Ruby from handing a one-word command to /bin/sh.
      stdout, stderr, status = Open3.capture3(
        env, [argv[0], argv[0]], *argv[1..],
        :stdin_data => input, :binmode => true
      )
      stdout.force_encoding(Encoding::UTF_8)
      stderr.force_encoding(Encoding::UTF_8)
      unless status.success?
        detail = stderr.strip.lines.last(5).join.strip
        detail = "no output on stderr" if detail.empty?
        settings.fail!("`#{argv.shelljoin}` exited with #{status.exitstatus || status}: #{detail}")
      end
      stderr.each_line { |l| ::Jekyll.logger.warn "Excerptor:", l.chomp unless l.strip.empty? }
      stdout.each_line.reject { |l| l.strip.empty? }.map.with_index(1) do |l, n|
        JSON.parse(l)
      rescue JSON::ParserError => e
        settings.fail!("`#{argv.shelljoin}` wrote a line that is not JSON (line #{n}): #{e.message[0, 200]}")
      end
    rescue SystemCallError => e
      settings.fail!("cannot run `#{argv.shelljoin}`: #{e.message}. Install excerptor " \
                     "(see its README) or set excerptor.command in _config.yml")
    end
  end
end

Jekyll::Hooks.register :site, :post_read do |site|
  Excerptor::Jekyll.run(site)
end
