# frozen_string_literal: true
#
# excerptor for Jekyll: Japanese-aware excerpts and reading times, computed at build time.
#
# Installed by `excerptor jekyll install [SITE]` (do not edit: re-run it after upgrading excerptor).
# After every post is read, it runs `excerptor jsonl` ONCE for the whole site, sends every post's
# Markdown body as one JSON line, and sets on each post:
#
#   post.data["excerpt"]      an HTML-escaped plain-text excerpt (what {{ post.excerpt }},
#                             jekyll-seo-tag's description and jekyll-feed's <summary> show)
#   post.data["reading_time"] whole minutes (an Integer)
#
# Settings in _config.yml (all optional):
#
#   excerptor:
#     enabled: true
#     command: [excerptor, jsonl]     # an argv array, or a string split with Shellwords;
#                                     # never run through a shell. Env EXCERPTOR_COMMAND wins.
#     max_chars: 120
#     algorithm: lead_centrality
#     fillers: [久しぶりの更新]        # more filler openers (or re:PATTERN), see excerptor's README
#     jobs: 0                         # worker processes; 0 = one per CPU
#     excerpt_field: excerpt
#     reading_time_field: reading_time
#     keep_existing: true             # keep an excerpt / reading_time set in a post's front matter
#     collections: [posts]
#     cache_dir: .excerptor-cache     # relative to the site; default: excerptor's user cache
#
# "Set by hand" means a non-empty String excerpt (Jekyll's own automatic excerpt is a
# Jekyll::Excerpt object, which is replaced without being rendered) and an Integer
# reading_time. If the command is missing or fails, the build stops with a FatalException.

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

      def keep_existing?
        config.fetch("keep_existing", config.fetch("only_missing", true)) != false
      end

      def excerpt_field
        config.fetch("excerpt_field", "excerpt").to_s
      end

      def reading_time_field
        config.fetch("reading_time_field", "reading_time").to_s
      end

      def collections
        Array(config.fetch("collections", ["posts"])).map(&:to_s)
      end

      def env(site)
        env = { "PYTHONIOENCODING" => "utf-8" }
        dir = config["cache_dir"]
        env["EXCERPTOR_CACHE_DIR"] = File.expand_path(dir.to_s, site.source) if dir
        env
      end

      def argv
        from_env = ENV["EXCERPTOR_COMMAND"]
        command = from_env && !from_env.strip.empty? ? from_env : config.fetch("command", DEFAULT_COMMAND)
        argv = command.is_a?(Array) ? command.map(&:to_s) : Shellwords.split(command.to_s)
        fail!("excerptor.command is empty") if argv.empty?
        argv += ["--max-chars", Integer(config["max_chars"]).to_s] if config["max_chars"]
        argv += ["--algorithm", config["algorithm"].to_s] if config["algorithm"]
        Array(config["fillers"]).each { |phrase| argv += ["--filler", phrase.to_s] }
        argv += ["--jobs", Integer(config["jobs"]).to_s] if config["jobs"]
        argv << "--only-missing" if keep_existing?
        argv
      rescue ArgumentError, TypeError => e
        fail!("bad setting under `excerptor:` in _config.yml: #{e.message}")
      end

      def fail!(message)
        raise ::Jekyll::Errors::FatalException, "excerptor: #{message}"
      end
    end

    module_function

    def hand_set_excerpt?(value)
      value.is_a?(String) && !value.strip.empty?
    end

    def hand_set_reading_time?(value)
      value.is_a?(Integer) && value >= 0
    end

    def run(site)
      settings = Settings.new(site.config)
      return unless settings.enabled?

      excerpt_field = settings.excerpt_field
      minutes_field = settings.reading_time_field
      keep = settings.keep_existing?
      docs = settings.collections.flat_map do |label|
        collection = site.collections[label]
        collection ? collection.docs : []
      end

      jobs = []
      docs.each do |doc|
        given_excerpt = doc.data[excerpt_field]
        given_minutes = doc.data[minutes_field]
        need_excerpt = !(keep && hand_set_excerpt?(given_excerpt))
        need_minutes = !(keep && hand_set_reading_time?(given_minutes))
        next unless need_excerpt || need_minutes

        line = { "id" => jobs.size, "content" => doc.content.to_s }
        title = doc.data["title"]
        line["title"] = title if title.is_a?(String)
        line["excerpt"] = given_excerpt unless need_excerpt
        line["reading_time"] = given_minutes unless need_minutes
        jobs << [doc, line, need_excerpt, need_minutes]
      end
      return if jobs.empty?

      argv = settings.argv
      input = begin
        jobs.map { |_, line| JSON.generate(line) }.join("\n") << "\n"
      rescue JSON::GeneratorError, EncodingError => e
        settings.fail!("cannot send posts to `#{argv.shelljoin}`: #{e.message[0, 200]}")
      end
      started = Time.now
      answers = call(argv, input, settings, settings.env(site))
      if answers.size != jobs.size
        settings.fail!("`#{argv.shelljoin}` answered #{answers.size} lines for #{jobs.size} posts")
      end

      failures = []
      jobs.zip(answers).each do |(doc, line, need_excerpt, need_minutes), answer|
        unless answer.is_a?(Hash) && answer["id"] == line["id"]
          settings.fail!("`#{argv.shelljoin}` answered out of order at #{doc.relative_path}")
        end
        if answer.key?("error")
          failures << "#{doc.relative_path}: #{answer['error']}"
          next
        end
        if need_excerpt
          text = answer["excerpt"]
          unless text.is_a?(String)
            failures << "#{doc.relative_path}: no excerpt in the answer"
            next
          end
          doc.data[excerpt_field] = CGI.escapeHTML(text)
        end
        if need_minutes
          minutes = answer["reading_time"]
          unless minutes.is_a?(Integer)
            failures << "#{doc.relative_path}: no reading_time in the answer"
            next
          end
          doc.data[minutes_field] = minutes
        end
      end
      unless failures.empty?
        shown = failures.first(10).join("; ")
        more = failures.size > 10 ? "; … and #{failures.size - 10} more" : ""
        settings.fail!("#{failures.size} post(s) failed: #{shown}#{more}")
      end
      ::Jekyll.logger.info "Excerptor:", format("%d posts in %.2f s", jobs.size, Time.now - started)
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
                     "(pip install excerptor) or set excerptor.command in _config.yml")
    end
  end
end

Jekyll::Hooks.register :site, :post_read do |site|
  Excerptor::Jekyll.run(site)
end
